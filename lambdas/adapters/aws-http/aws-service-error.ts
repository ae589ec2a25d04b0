import { setTimeout as delay } from 'node:timers/promises';
import { AwsNetworkError, type AwsHttpResponse } from './signed-aws-request.js';

/**
 * An error an AWS service answered, named as the SDK names it (`NoSuchBucket`, `SlowDown`,
 * `QueueDoesNotExist`, ...), with the answer's status and whether trying again may succeed. The
 * gateway's DynamoDB, S3 and SQS paths use it; each reads the name from its own protocol.
 */
export class AwsServiceError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    /** The HTTP status of the answer. */
    readonly status: number,
    /** Whether trying again may succeed: throttling, a 5xx, an unreadable answer. */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Whether a failed call may succeed when made again: no complete answer, or a retryable service error. */
export function isRetryableAwsFailure(error: unknown): boolean {
  return error instanceof AwsNetworkError || (error instanceof AwsServiceError && error.retryable);
}

/**
 * The first retry waits up to this long, each further one up to twice the one before, with full
 * jitter: the SDK's standard backoff base, and short enough for a call on the request path.
 */
const RETRY_BASE_DELAY_MS = 100;

/** Makes `call` up to `attempts` times, again only after a retryable failure (`isRetryableAwsFailure`). */
export async function withAwsRetries<T>(attempts: number, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isRetryableAwsFailure(error)) throw error;
      await delay(Math.random() * RETRY_BASE_DELAY_MS * 2 ** (attempt - 1));
    }
  }
}

/** Longest part of an answer's body quoted in an error message. */
const QUOTED_BODY_CHARS = 200;

/** The start of an answer's body, for an error message. */
export function quotedBody(body: Buffer): string {
  if (body.length === 0) return '(empty)';
  const text = body.toString('utf8');
  return JSON.stringify(text.slice(0, QUOTED_BODY_CHARS)) + (text.length > QUOTED_BODY_CHARS ? '...' : '');
}

/** The body as a JSON object, or undefined when it is anything else (the AWS JSON protocols' answers are objects). */
export function jsonObjectOf(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a non-2xx answer of an AWS JSON protocol (DynamoDB, SQS) says: the error name from its
 * `__type` (or `x-amzn-ErrorType`), `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException`
 * → `ConditionalCheckFailedException` (some services append `:<documentation url>`), and its message.
 */
export function jsonProtocolErrorOf(response: AwsHttpResponse): { name: string | undefined; message: string | undefined } {
  const body = jsonObjectOf(response.body);
  const type = stringOf(body?.__type) ?? stringOf(response.headers['x-amzn-errortype']);
  return {
    name: type ? type.slice(type.lastIndexOf('#') + 1).split(':')[0] || type : undefined,
    message: stringOf(body?.message) ?? stringOf(body?.Message),
  };
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
