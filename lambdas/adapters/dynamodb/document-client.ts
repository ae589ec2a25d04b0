import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EnvironmentVariable } from '../../contract/environment-variables.js';
import type { SdkRetryOptions } from '../sdk-retry-options.js';

/**
 * The DynamoDB document client a function's adapters share. `LOOKOUT_DYNAMODB_ENDPOINT` points it
 * at DynamoDB Local (`npm start`, tests); in AWS it is unset and the SDK's defaults apply.
 */
export function createDocumentClient(
  env: Readonly<Record<string, string | undefined>>,
  { maxAttempts }: SdkRetryOptions = {},
): DynamoDBDocumentClient {
  const endpoint = env[EnvironmentVariable.dynamodbEndpoint];
  const client = new DynamoDBClient({
    ...(endpoint ? { endpoint, region: env.AWS_REGION ?? 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts,
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
