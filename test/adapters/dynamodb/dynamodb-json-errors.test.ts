import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsNetworkError, type AwsHttpResponse } from '../../../lambdas/adapters/aws-http/signed-aws-request.js';
import { isRetryableAwsFailure } from '../../../lambdas/adapters/aws-http/aws-service-error.js';
import { dynamoDbErrorFromResponse, malformedResponseError } from '../../../lambdas/adapters/dynamodb/dynamodb-json-errors.js';

function answer(status: number, body: string, headers: AwsHttpResponse['headers'] = {}): AwsHttpResponse {
  return { status, headers, body: Buffer.from(body) };
}

describe('dynamoDbErrorFromResponse', () => {
  it('names the error as the SDK does, from the namespaced __type, with its message and status', () => {
    const error = dynamoDbErrorFromResponse(
      'PutItem',
      answer(
        400,
        '{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}',
      ),
    );
    assert.equal(error.name, 'ConditionalCheckFailedException');
    assert.equal(error.message, 'The conditional request failed');
    assert.equal(error.status, 400);
    assert.equal(error.retryable, false);
  });

  it('reads the capitalised Message some errors carry, and a __type with a documentation suffix', () => {
    const error = dynamoDbErrorFromResponse(
      'GetItem',
      answer(
        400,
        '{"__type":"com.amazon.coral.validate#ValidationException:http://internal.amazon.com/coral/","Message":"1 validation error"}',
      ),
    );
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.message, '1 validation error');
  });

  it('marks throttling and 5xx as retryable, and a client error as not', () => {
    const named = (status: number, type: string) =>
      dynamoDbErrorFromResponse(
        'PutItem',
        answer(status, JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: type })),
      );
    assert.equal(named(400, 'ProvisionedThroughputExceededException').retryable, true);
    assert.equal(named(400, 'ThrottlingException').retryable, true);
    assert.equal(named(400, 'RequestLimitExceeded').retryable, true);
    assert.equal(named(500, 'InternalServerError').retryable, true);
    assert.equal(named(400, 'ResourceNotFoundException').retryable, false);
    assert.equal(named(400, 'ValidationException').retryable, false);
  });

  it('takes the name from x-amzn-ErrorType, or says what came, when the body is not JSON', () => {
    const fromHeader = dynamoDbErrorFromResponse('PutItem', answer(400, 'nope', { 'x-amzn-errortype': 'ThrottlingException:http://x/' }));
    assert.equal(fromHeader.name, 'ThrottlingException');
    assert.equal(fromHeader.retryable, true);

    const unnamed = dynamoDbErrorFromResponse('PutItem', answer(502, '<html>Bad Gateway</html>'));
    assert.equal(unnamed.name, 'DynamoDbError');
    assert.equal(unnamed.status, 502);
    assert.equal(unnamed.retryable, true);
    assert.match(unnamed.message, /PutItem answered HTTP 502: "<html>Bad Gateway<\/html>"/);
  });
});

describe('malformedResponseError', () => {
  it('quotes what came (briefly) and may be retried', () => {
    const error = malformedResponseError('GetItem', answer(200, `{"Item":${'x'.repeat(500)}`));
    assert.equal(error.name, 'MalformedResponseError');
    assert.equal(error.status, 200);
    assert.equal(error.retryable, true);
    assert.ok(error.message.length < 300, error.message);
    assert.match(malformedResponseError('PutItem', answer(200, '')).message, /\(empty\)/);
  });
});

describe('isRetryableAwsFailure', () => {
  it('retries network errors, and nothing it does not know', () => {
    assert.equal(isRetryableAwsFailure(new AwsNetworkError('reset', 'ECONNRESET')), true);
    assert.equal(isRetryableAwsFailure(new Error('no AWS credentials in the environment')), false);
  });
});
