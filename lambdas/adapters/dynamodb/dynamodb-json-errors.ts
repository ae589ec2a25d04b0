import { AwsServiceError, jsonProtocolErrorOf, quotedBody } from '../aws-http/aws-service-error.js';
import type { AwsHttpResponse } from '../aws-http/signed-aws-request.js';

/**
 * An error DynamoDB answered (or an answer that could not be read), named as the SDK names it:
 * `ConditionalCheckFailedException`, `ProvisionedThroughputExceededException`, ...
 */
export class DynamoDbError extends AwsServiceError {}

/**
 * A conditional write whose condition was false: nothing was written. Its own class because
 * callers branch on it (a compare-and-swap reads again, a put-once reads "already there"), where
 * every other error is a failure.
 */
export class ConditionalCheckFailedError extends DynamoDbError {}

const CONDITIONAL_CHECK_FAILED = 'ConditionalCheckFailedException';

/** Errors that say "too many requests, try again", as the SDK's retry strategy lists them for DynamoDB. */
const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/** The error of a non-2xx answer to `operation`. */
export function dynamoDbErrorFromResponse(operation: string, response: AwsHttpResponse): DynamoDbError {
  const error = jsonProtocolErrorOf(response);
  const name = error.name ?? 'DynamoDbError';
  const message = error.message ?? `DynamoDB ${operation} answered HTTP ${response.status}: ${quotedBody(response.body)}`;
  if (name === CONDITIONAL_CHECK_FAILED) return new ConditionalCheckFailedError(name, message, response.status, false);
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
    `DynamoDB ${operation} answered HTTP ${response.status} with a body that is not a JSON object: ${quotedBody(response.body)}`,
    response.status,
    true,
  );
}
