/**
 * The signed-request client against loopback servers. There is no AWS here and DynamoDB Local
 * does not check signatures, so the signature is checked by recomputing SigV4 for the request
 * the server received (method, path, the headers the client says it signed, and the body as it
 * arrived) with `SignatureV4` from the same library and the same secret, and comparing it with
 * the Authorization header (`signature-checking-server.ts`); the tests also check the header's
 * structure, `x-amz-date` and the session token. The transport's failures (refused, cut short, silent) are each provoked for real.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { environmentCredentials, fixedCredentials, type AwsCredentials } from '../../../lambdas/adapters/aws-http/aws-credentials.js';
import { AwsNetworkError, SignedAwsHttpClient } from '../../../lambdas/adapters/aws-http/signed-aws-request.js';
import { freePort } from '../../../lambdas/local/free-port.js';
import {
  parseAuthorization,
  type ReceivedRequest,
  signatureIsValid,
  startRecordingServer,
  stopRecordingServers,
} from './signature-checking-server.js';

const REGION = 'eu-west-1';
const SESSION_CREDENTIALS: AwsCredentials = {
  accessKeyId: 'ASIAEXAMPLEKEYID',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//session+token=',
};

after(stopRecordingServers);

const DYNAMODB_HEADERS = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem' };

describe('SignedAwsHttpClient', () => {
  it('signs a DynamoDB request so that SigV4, recomputed by the receiver, matches', async () => {
    const server = await startRecordingServer();
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: fixedCredentials(SESSION_CREDENTIALS),
    });
    const before = Date.now();

    const response = await client.send({
      method: 'POST',
      path: '/',
      headers: DYNAMODB_HEADERS,
      body: '{"TableName":"lookout-request-log"}',
    });

    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), '{}');
    const [request] = server.received;
    assert.ok(request);
    assert.equal(await signatureIsValid(request, SESSION_CREDENTIALS), true);
    const authorization = parseAuthorization(request.headers.authorization);
    assert.equal(authorization.accessKeyId, SESSION_CREDENTIALS.accessKeyId);
    assert.equal(authorization.region, REGION);
    assert.equal(authorization.service, 'dynamodb');
    for (const header of ['host', 'content-type', 'x-amz-target', 'x-amz-date', 'x-amz-security-token']) {
      assert.ok(authorization.signedHeaders.includes(header), `${header} must be signed`);
    }
    assert.equal(request.headers['x-amz-security-token'], SESSION_CREDENTIALS.sessionToken);
    const amzDate = String(request.headers['x-amz-date']);
    assert.match(amzDate, /^\d{8}T\d{6}Z$/);
    assert.equal(authorization.day, amzDate.slice(0, 8));
    const signedAtMs = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    assert.ok(signedAtMs >= before - 1_000 && signedAtMs <= Date.now(), 'x-amz-date is the time of signing');
    assert.equal(request.headers['content-length'], String(Buffer.byteLength('{"TableName":"lookout-request-log"}')));
  });

  it('is caught by that check when the body is not the one signed (the check can fail)', async () => {
    const server = await startRecordingServer();
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: fixedCredentials(SESSION_CREDENTIALS),
    });
    await client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{"TableName":"a"}' });
    const [request] = server.received;

    assert.equal(await signatureIsValid({ ...request!, body: Buffer.from('{"TableName":"b"}') }, SESSION_CREDENTIALS), false);
    assert.equal(await signatureIsValid(request!, { ...SESSION_CREDENTIALS, secretAccessKey: 'another secret' }), false);
  });

  it('reads the credentials from the environment at each call, and sends no session token without one', async () => {
    const server = await startRecordingServer();
    const env: Record<string, string | undefined> = { AWS_ACCESS_KEY_ID: 'AKIAFIRST', AWS_SECRET_ACCESS_KEY: 'first-secret' };
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: environmentCredentials(env),
    });

    await client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' });
    Object.assign(env, { AWS_ACCESS_KEY_ID: 'ASIASECOND', AWS_SECRET_ACCESS_KEY: 'second-secret', AWS_SESSION_TOKEN: 'second-token' });
    await client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' });

    const [first, second] = server.received;
    assert.equal(parseAuthorization(first!.headers.authorization).accessKeyId, 'AKIAFIRST');
    assert.equal(first!.headers['x-amz-security-token'], undefined);
    assert.equal(parseAuthorization(first!.headers.authorization).signedHeaders.includes('x-amz-security-token'), false);
    assert.equal(await signatureIsValid(first!, { accessKeyId: 'AKIAFIRST', secretAccessKey: 'first-secret' }), true);
    assert.equal(parseAuthorization(second!.headers.authorization).accessKeyId, 'ASIASECOND');
    assert.equal(second!.headers['x-amz-security-token'], 'second-token');
    assert.equal(
      await signatureIsValid(second!, { accessKeyId: 'ASIASECOND', secretAccessKey: 'second-secret', sessionToken: 'second-token' }),
      true,
    );
  });

  it('says which variables are missing when the environment holds no credentials, and sends nothing', async () => {
    const server = await startRecordingServer();
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: environmentCredentials({}),
    });

    await assert.rejects(client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' }), /AWS_ACCESS_KEY_ID/);
    assert.deepEqual(server.received, []);
  });

  it('reuses one kept-alive connection for consecutive requests', async () => {
    const server = await startRecordingServer();
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: fixedCredentials(SESSION_CREDENTIALS),
    });

    for (let i = 0; i < 3; i++) await client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' });

    assert.equal(server.received.length, 3);
    assert.equal(server.connections.length, 1);
  });

  it("answers any status the service gave with its body: reading errors is the protocol client's job", async () => {
    const server = await startRecordingServer((_, response) => response.writeHead(400).end('{"__type":"x#ValidationException"}'));
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: fixedCredentials(SESSION_CREDENTIALS),
    });

    const response = await client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' });

    assert.equal(response.status, 400);
    assert.equal(response.body.toString(), '{"__type":"x#ValidationException"}');
  });

  for (const [what, answer, code] of [
    [
      'an answer cut short (fewer bytes than its Content-Length)',
      (_: ReceivedRequest, response: ServerResponse) => {
        response.writeHead(200, { 'content-length': '100' });
        // Once these bytes are on their way, the connection goes: the other 92 never come.
        response.write('{"Item":', () => response.socket?.destroy());
      },
      undefined,
    ],
    ['a connection closed without an answer', (_: ReceivedRequest, response: ServerResponse) => response.socket?.destroy(), 'ECONNRESET'],
  ] as const) {
    it(`rejects with a network error on ${what}`, async () => {
      const server = await startRecordingServer(answer);
      const client = new SignedAwsHttpClient({
        service: 'dynamodb',
        region: REGION,
        endpoint: server.endpoint,
        credentials: fixedCredentials(SESSION_CREDENTIALS),
      });

      const failed = await client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' }).then(
        () => assert.fail('must not resolve'),
        (error: unknown) => error,
      );

      assert.ok(failed instanceof AwsNetworkError, String(failed));
      if (code) assert.equal(failed.code, code);
    });
  }

  it('rejects with a network error when the connection is refused', async () => {
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: `http://127.0.0.1:${await freePort()}`,
      credentials: fixedCredentials(SESSION_CREDENTIALS),
    });

    await assert.rejects(client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' }), {
      name: 'AwsNetworkError',
      code: 'ECONNREFUSED',
    });
  });

  it('gives up on a connection that stays silent for the idle timeout', async () => {
    const server = await startRecordingServer(() => undefined);
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: fixedCredentials(SESSION_CREDENTIALS),
      idleTimeoutMs: 200,
    });

    await assert.rejects(client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' }), {
      name: 'AwsNetworkError',
      code: 'ETIMEDOUT',
    });
    assert.equal(server.received.length, 1);
  });
});
