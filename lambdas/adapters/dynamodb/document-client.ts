import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The DynamoDB document client every adapter shares. `LOOKOUT_DYNAMODB_ENDPOINT` points it at
 * DynamoDB Local (`npm start`, tests); in AWS it is unset and the SDK's defaults apply.
 */
export function createDocumentClient(env: Readonly<Record<string, string | undefined>>): DynamoDBDocumentClient {
  const endpoint = env.LOOKOUT_DYNAMODB_ENDPOINT;
  const client = new DynamoDBClient(endpoint ? {
    endpoint,
    region: env.AWS_REGION ?? 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  } : {});
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
