import { createHash } from 'node:crypto';
import type { DeadLetterSink } from '../../core/ports/dead-letter-sink.js';
import type { DeadLetter } from '../../core/request-log/dead-letter-codec.js';
import { environmentCredentials } from '../aws-http/aws-credentials.js';
import { AwsServiceError, jsonObjectOf, jsonProtocolErrorOf, quotedBody, withAwsRetries } from '../aws-http/aws-service-error.js';
import { type AwsHttpResponse, SignedAwsHttpClient } from '../aws-http/signed-aws-request.js';
import { deadLetterMessageBody, SEND_ATTEMPTS } from './dead-letter-message.js';

/**
 * The gateway's one SQS call, SendMessage of a dead letter, in the AWS JSON 1.0 protocol SQS
 * speaks (`X-Amz-Target: AmazonSQS.SendMessage`) over `SignedAwsHttpClient`, POSTed to the queue
 * URL's origin: the SQS SDK client and `@smithy/core` stay out of the gateway's bundle. The
 * replay CLI, which also receives and deletes, keeps the SDK queue (`dead-letter-queue.ts`); both
 * send the same message body (`dead-letter-message.ts`).
 *
 * A dead letter is the last resort before the record goes to the function's log, so a send gets
 * `SEND_ATTEMPTS` attempts (as the SDK queue's `maxAttempts`), with a short jittered pause, when
 * the failure is one that may pass: no complete answer, throttling, a 5xx, an unreadable answer.
 * A non-2xx answer is an `AwsServiceError` named from its `__type`, as the SDK names it.
 */
export class DeadLetterSender implements DeadLetterSink {
  constructor(
    private readonly http: SignedAwsHttpClient,
    private readonly queueUrl: string,
    private readonly attempts = SEND_ATTEMPTS,
  ) {}

  async send(letter: DeadLetter): Promise<void> {
    const messageBody = deadLetterMessageBody(letter);
    const request = JSON.stringify({ QueueUrl: this.queueUrl, MessageBody: messageBody });
    return withAwsRetries(this.attempts, () => this.attempt(request, messageBody));
  }

  private async attempt(request: string, messageBody: string): Promise<void> {
    const response = await this.http.send({
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
      body: request,
    });
    if (response.status < 200 || response.status > 299) throw sqsErrorFromResponse(response);
    const output = jsonObjectOf(response.body);
    if (typeof output?.MessageId !== 'string') {
      throw new AwsServiceError(
        'MalformedResponseError',
        `SQS SendMessage answered HTTP ${response.status} without a MessageId: ${quotedBody(response.body)}`,
        response.status,
        true,
      );
    }
    // The SDK checks this too: what SQS stored is what was sent.
    const md5 = createHash('md5').update(messageBody).digest('hex');
    if (typeof output.MD5OfMessageBody === 'string' && output.MD5OfMessageBody !== md5) {
      throw new AwsServiceError(
        'InvalidChecksumError',
        `SQS SendMessage stored message ${output.MessageId} with MD5 ${output.MD5OfMessageBody}, not the ${md5} sent`,
        response.status,
        false,
      );
    }
  }
}

/** SQS's "slow down" errors, as the SDK's retry strategy lists the throttling ones. */
const THROTTLING_ERRORS = new Set(['RequestThrottled', 'ThrottlingException', 'TooManyRequestsException', 'KmsThrottled']);

/**
 * The error of a non-2xx answer: `{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"..."}`
 * (some AWS JSON services append `:<documentation url>` to the type).
 */
export function sqsErrorFromResponse(response: AwsHttpResponse): AwsServiceError {
  const error = jsonProtocolErrorOf(response);
  const name = error.name ?? 'SqsError';
  const message = error.message;
  return new AwsServiceError(
    name,
    `SQS SendMessage answered HTTP ${response.status}: ${message ?? quotedBody(response.body)}`,
    response.status,
    response.status >= 500 || response.status === 429 || THROTTLING_ERRORS.has(name),
  );
}

/**
 * The sender for a function's environment: it signs with the credentials and region Lambda puts
 * in the environment (the region in the queue URL's host when the environment names none) and
 * POSTs to the queue URL's origin, `https://sqs.<region>.amazonaws.com`.
 */
export function deadLetterSenderFromEnv(env: Readonly<Record<string, string | undefined>>, queueUrl: string): DeadLetterSender {
  const url = new URL(queueUrl);
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? /^sqs\.([a-z0-9-]+)\./.exec(url.hostname)?.[1];
  if (!region)
    throw new Error(`AWS_REGION is not set and the queue URL ${queueUrl} names no region: the SQS sender needs the region it signs for`);
  return new DeadLetterSender(
    new SignedAwsHttpClient({ service: 'sqs', region, endpoint: url.origin, credentials: environmentCredentials(env) }),
    queueUrl,
  );
}
