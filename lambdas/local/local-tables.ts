import { CreateTableCommand, DescribeTableCommand, UpdateTimeToLiveCommand, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

const byCreatedAt = (name: string, partitionKey: string) => ({
  IndexName: name,
  KeySchema: [
    { AttributeName: partitionKey, KeyType: 'HASH' as const },
    { AttributeName: 'createdAtMs', KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'ALL' as const },
});

/** The tables `npm start` creates in DynamoDB Local: the same keys and indexes as the CDK stack. */
export function localTableDefinitions(names: { keys: string; requestLog: string }): CreateTableCommandInput[] {
  return [
    {
      TableName: names.keys,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'keyHash', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'keyHash', KeyType: 'HASH' }],
    },
    {
      TableName: names.requestLog,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'day', AttributeType: 'S' },
        { AttributeName: 'userId', AttributeType: 'S' },
        { AttributeName: 'sessionId', AttributeType: 'S' },
        { AttributeName: 'createdAtMs', AttributeType: 'N' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [byCreatedAt('byDay', 'day'), byCreatedAt('byUser', 'userId'), byCreatedAt('bySession', 'sessionId')],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    },
  ];
}

/** The request-log table's TTL attribute, as in the CDK stack. */
export const REQUEST_LOG_TTL_ATTRIBUTE = 'expiresAt';

/** Creates every missing table (idempotent: a restart over persisted data keeps what is there). */
export async function ensureLocalTables(client: DynamoDBClient, names: { keys: string; requestLog: string }): Promise<void> {
  for (const definition of localTableDefinitions(names)) {
    try {
      await client.send(new DescribeTableCommand({ TableName: definition.TableName }));
      continue;
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
    await client.send(new CreateTableCommand(definition));
    if (definition.TableName === names.requestLog) {
      await client.send(new UpdateTimeToLiveCommand({
        TableName: names.requestLog,
        TimeToLiveSpecification: { AttributeName: REQUEST_LOG_TTL_ATTRIBUTE, Enabled: true },
      }));
    }
  }
}
