/**
 * The gateway's lean SQS SendMessage. No SQS runs here (no emulator is installed), so the queue
 * is a stand-in: a loopback server that checks what SQS checks of a JSON 1.0 SendMessage (the
 * `X-Amz-Target`, the content type, the JSON body and the SigV4 signature, recomputed) and
 * answers as SQS does: `{"MessageId","MD5OfMessageBody"}`, or a JSON error with `__type`.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { fixedCredentials, type AwsCredentials } from '../../../lambdas/adapters/aws-http/aws-credentials.js';
import { AwsServiceError } from '../../../lambdas/adapters/aws-http/aws-service-error.js';
import { SignedAwsHttpClient } from '../../../lambdas/adapters/aws-http/signed-aws-request.js';
import { deadLetterMessageBody, MAX_MESSAGE_BYTES } from '../../../lambdas/adapters/sqs/dead-letter-message.js';
import { DeadLetterSender, deadLetterSenderFromEnv } from '../../../lambdas/adapters/sqs/dead-letter-sender.js';
import { decodeDeadLetter, type DeadLetter } from '../../../lambdas/core/request-log/dead-letter-codec.js';
import { logRecord } from '../../support/request-log-records.js';
import {
  parseAuthorization,
  type ReceivedRequest,
  signatureIsValid,
  startRecordingServer,
  stopRecordingServers,
} from '../aws-http/signature-checking-server.js';

after(stopRecordingServers);

const CREDENTIALS: AwsCredentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };

const letter = (overrides: Partial<DeadLetter['record']> = {}): DeadLetter => ({
  record: logRecord({ id: 'req-1', createdAtMs: 1_767_225_600_000, ...overrides }),
  reason: 'ProvisionedThroughputExceededException',
  failedAtMs: 1_767_225_601_000,
});

/** What SQS answers a well-formed, correctly signed SendMessage; anything else is a 400 the test sees. */
function sqsStandIn(request: ReceivedRequest, response: ServerResponse, queueUrl: () => string) {
  void (async () => {
    const fail = (type: string, message: string) =>
      response
        .writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
        .end(JSON.stringify({ __type: `com.amazonaws.sqs#${type}`, message }));
    if (request.headers['x-amz-target'] !== 'AmazonSQS.SendMessage')
      return fail('InvalidAction', `target ${request.headers['x-amz-target']}`);
    if (request.headers['content-type'] !== 'application/x-amz-json-1.0') return fail('InvalidParameterValue', 'content type');
    if (request.method !== 'POST' || request.path !== '/') return fail('InvalidAddress', `${request.method} ${request.path}`);
    if (!(await signatureIsValid(request, CREDENTIALS))) return fail('InvalidSignature', 'signature does not match');
    const body = JSON.parse(request.body.toString()) as { QueueUrl?: unknown; MessageBody?: unknown };
    if (body.QueueUrl !== queueUrl()) return fail('QueueDoesNotExist', `no queue ${String(body.QueueUrl)}`);
    if (typeof body.MessageBody !== 'string' || Buffer.byteLength(body.MessageBody) > MAX_MESSAGE_BYTES)
      return fail('InvalidParameterValue', 'MessageBody');
    const md5 = createHash('md5').update(body.MessageBody).digest('hex');
    response
      .writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
      .end(JSON.stringify({ MessageId: 'm-1', MD5OfMessageBody: md5 }));
  })();
}

async function standInQueue(answer?: (request: ReceivedRequest, response: ServerResponse, attempt: number) => boolean) {
  let url = '';
  const server = await startRecordingServer((request, response) => {
    if (answer?.(request, response, server.received.length)) return;
    sqsStandIn(request, response, () => url);
  });
  url = `${server.endpoint}/123456789012/lookout-dead-letters`;
  const sender = new DeadLetterSender(
    new SignedAwsHttpClient({ service: 'sqs', region: 'eu-west-1', endpoint: server.endpoint, credentials: fixedCredentials(CREDENTIALS) }),
    url,
  );
  return { server, url, sender };
}

const messageOf = (request: ReceivedRequest) => (JSON.parse(request.body.toString()) as { MessageBody: string }).MessageBody;

describe('DeadLetterSender against a stand-in SQS', () => {
  it('sends the letter as SendMessage, signed for sqs, with the message body the SDK queue sends', async () => {
    const { server, url, sender } = await standInQueue();
    const sent = letter({ requestBody: { raw: Buffer.from('hi') }, responseBody: { s3Key: 'bodies/x/response.gz' } });

    await sender.send(sent);

    const [request] = server.received;
    assert.ok(request);
    assert.equal(parseAuthorization(request.headers.authorization).service, 'sqs');
    assert.deepEqual(JSON.parse(request.body.toString()), { QueueUrl: url, MessageBody: deadLetterMessageBody(sent) });
    assert.deepEqual(decodeDeadLetter(messageOf(request)), sent);
  });

  it('drops the inline bodies of a letter over 256 KiB, keeps its S3 keys, and says so', async () => {
    const { server, sender } = await standInQueue();
    const big = Buffer.alloc(200 * 1024, 7);

    await sender.send(letter({ requestBody: { gzip: big }, responseBody: { s3Key: 'bodies/x/response.gz' } }));

    const message = messageOf(server.received[0]!);
    assert.ok(Buffer.byteLength(message) <= MAX_MESSAGE_BYTES);
    const stored = decodeDeadLetter(message);
    assert.equal(stored.record.requestBody, null);
    assert.deepEqual(stored.record.responseBody, { s3Key: 'bodies/x/response.gz' });
    assert.match(stored.reason, /^ProvisionedThroughputExceededException; inline bodies dropped to fit SQS's 256 KiB limit$/);
  });

  it('keeps the inline bodies of a letter just under the limit', async () => {
    const sent = letter({ requestBody: { gzip: Buffer.alloc(150 * 1024, 7) } });
    assert.ok(Buffer.byteLength(deadLetterMessageBody(sent)) <= MAX_MESSAGE_BYTES);
    assert.deepEqual(decodeDeadLetter(deadLetterMessageBody(sent)), sent);
  });

  it('fails with the error SQS names, without retrying one that will not pass', async () => {
    const { server, sender } = await standInQueue((_, response) => {
      response
        .writeHead(400)
        .end(JSON.stringify({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' }));
      return true;
    });

    await assert.rejects(sender.send(letter()), (error: unknown) => {
      assert.ok(error instanceof AwsServiceError);
      assert.equal(error.name, 'QueueDoesNotExist');
      assert.equal(error.status, 400);
      assert.equal(error.retryable, false);
      assert.match(error.message, /The specified queue does not exist/);
      return true;
    });
    assert.equal(server.received.length, 1);
  });

  it('tries again after throttling and a 5xx, and succeeds on the third attempt', async () => {
    const { server, sender } = await standInQueue((_, response, attempt) => {
      if (attempt === 1)
        response.writeHead(400).end(JSON.stringify({ __type: 'com.amazonaws.sqs#RequestThrottled', message: 'slow down' }));
      else if (attempt === 2) response.writeHead(503).end('');
      return attempt <= 2;
    });

    await sender.send(letter());

    assert.equal(server.received.length, 3);
  });

  it('gives up after three attempts, with the last error', async () => {
    const { server, sender } = await standInQueue((_, response) => {
      response.writeHead(500).end(JSON.stringify({ __type: 'com.amazonaws.sqs#InternalError', message: 'oops' }));
      return true;
    });

    await assert.rejects(sender.send(letter()), { name: 'InternalError', status: 500, retryable: true });
    assert.equal(server.received.length, 3);
  });

  it('reads a 2xx without a MessageId, or with the wrong MD5, as a failure, never as sent', async () => {
    const noId = await standInQueue((_, response) => {
      response.end('{}');
      return true;
    });
    await assert.rejects(noId.sender.send(letter()), { name: 'MalformedResponseError' });
    assert.equal(noId.server.received.length, 3, 'an unreadable answer is retried');

    const wrongMd5 = await standInQueue((_, response) => {
      response.end(JSON.stringify({ MessageId: 'm', MD5OfMessageBody: '0'.repeat(32) }));
      return true;
    });
    await assert.rejects(wrongMd5.sender.send(letter()), { name: 'InvalidChecksumError' });
  });

  it('is refused by the stand-in when the signature is wrong (the check can fail)', async () => {
    const { server, url } = await standInQueue();
    const wrongSecret = new DeadLetterSender(
      new SignedAwsHttpClient({
        service: 'sqs',
        region: 'eu-west-1',
        endpoint: server.endpoint,
        credentials: fixedCredentials({ ...CREDENTIALS, secretAccessKey: 'wrong' }),
      }),
      url,
    );

    await assert.rejects(wrongSecret.send(letter()), { name: 'InvalidSignature' });
  });
});

describe('deadLetterSenderFromEnv', () => {
  it("posts to the queue URL's origin, signed for the environment's credentials and region", async () => {
    const { server, url } = await standInQueue();
    const sender = deadLetterSenderFromEnv(
      {
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
      },
      url,
    );

    await sender.send(letter());

    assert.equal(server.received.length, 1);
    assert.equal(parseAuthorization(server.received[0]!.headers.authorization).region, 'eu-west-1');
  });

  it('takes the region from an SQS queue URL when the environment names none', () => {
    assert.doesNotThrow(() => deadLetterSenderFromEnv({}, 'https://sqs.ap-southeast-2.amazonaws.com/123456789012/q'));
    assert.throws(() => deadLetterSenderFromEnv({}, 'http://127.0.0.1:1/123/q'), /AWS_REGION/);
  });
});
