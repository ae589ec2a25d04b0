import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  keysTableSchema,
  quotaCountersTableSchema,
  quotasTableSchema,
  requestLogTableSchema,
  alertsTableSchema,
  responseCacheTableSchema,
  rollupsTableSchema,
  type KeyAttribute,
  type TableSchema,
} from '../contract/table-schemas.js';

/** The CreateTable input for a table schema the CDK stack also builds from. */
export function createTableInput(tableName: string, schema: TableSchema): CreateTableCommandInput {
  const attributes = new Map<string, KeyAttribute>();
  for (const key of [
    schema.partitionKey,
    ...(schema.sortKey ? [schema.sortKey] : []),
    ...schema.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ])
    attributes.set(key.name, key);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes.values()].map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: schema.partitionKey.name, KeyType: 'HASH' },
      ...(schema.sortKey ? [{ AttributeName: schema.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    GlobalSecondaryIndexes:
      schema.globalIndexes.length === 0
        ? undefined
        : schema.globalIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
              { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
    StreamSpecification: schema.streamsNewImages ? { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } : undefined,
  };
}

/** Creates every missing table (idempotent: a restart over persisted data keeps what is there). */
export async function ensureLocalTables(
  client: DynamoDBClient,
  names: {
    keys: string;
    requestLog: string;
    responseCache: string;
    quotas: string;
    quotaCounters: string;
    rollups: string;
    alerts: string;
  },
): Promise<void> {
  const tables: [string, TableSchema][] = [
    [names.keys, keysTableSchema],
    [names.requestLog, requestLogTableSchema],
    [names.responseCache, responseCacheTableSchema],
    [names.quotas, quotasTableSchema],
    [names.quotaCounters, quotaCountersTableSchema],
    [names.rollups, rollupsTableSchema],
    [names.alerts, alertsTableSchema],
  ];
  for (const [tableName, schema] of tables) {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      continue;
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
    await client.send(new CreateTableCommand(createTableInput(tableName, schema)));
    if (schema.timeToLiveAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: schema.timeToLiveAttribute, Enabled: true },
        }),
      );
    }
  }
}
