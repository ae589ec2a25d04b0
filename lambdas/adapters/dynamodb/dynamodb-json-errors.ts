import { AwsNetworkError, type AwsHttpResponse } from '../aws-http/signed-aws-request.js';

/**
 * An error DynamoDB answered (or an answer that could not be read), named as the SDK names it:
 * `ConditionalCheckFailedException`, `ProvisionedThroughputExceededException`, ...
 */
export class DynamoDbError extends Error {
  constructor(
    /** The AWS error name, from the answer's `__type` (or `x-amzn-ErrorType`). */
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

/** Errors that say "too many requests, try again", as the SDK's retry strategy lists them for DynamoDB. */
const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/** Longest part of an unreadable body quoted in an error message. */
const QUOTED_BODY_CHARS = 200;

/** The error of a non-2xx answer to `operation`. */
export function dynamoDbErrorFromResponse(operation: string, response: AwsHttpResponse): DynamoDbError {
  const body = jsonObjectOf(response.body);
  const type = stringOf(body?.__type) ?? stringOf(response.headers['x-amzn-errortype']);
  const name = type ? errorNameOf(type) : 'DynamoDbError';
  const message =
    stringOf(body?.message) ??
    stringOf(body?.Message) ??
    `DynamoDB ${operation} answered HTTP ${response.status}: ${quoted(response.body)}`;
  return new DynamoDbError(name, message, response.status, response.status >= 500 || THROTTLING_ERRORS.has(name));
}

/**
 * The error of a 2xx answer whose body is not a JSON object (empty, cut short, or not JSON at
 * all). Never read as success: a write it answered may or may not have been stored, and the
 * conditional put makes trying again safe.
 */
export function malformedResponseError(operation: string, response: AwsHttpResponse): DynamoDbError {
  return new DynamoDbError(
    'MalformedResponseError',
    `DynamoDB ${operation} answered HTTP ${response.status} with a body that is not a JSON object: ${quoted(response.body)}`,
    response.status,
    true,
  );
}

/** Whether a failed call may succeed when made again: no complete answer, throttling or a 5xx. */
export function isRetryableFailure(error: unknown): boolean {
  return error instanceof AwsNetworkError || (error instanceof DynamoDbError && error.retryable);
}

/** The body as a JSON object, or null when it is anything else. */
export function jsonObjectOf(body: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

// `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` → `ConditionalCheckFailedException`;
// some AWS JSON services append `:<documentation url>`.
function errorNameOf(type: string): string {
  return type.slice(type.lastIndexOf('#') + 1).split(':')[0] || type;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function quoted(body: Buffer): string {
  if (body.length === 0) return '(empty)';
  const text = body.toString('utf8');
  return JSON.stringify(text.slice(0, QUOTED_BODY_CHARS)) + (text.length > QUOTED_BODY_CHARS ? '...' : '');
}
