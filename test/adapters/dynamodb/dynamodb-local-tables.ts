import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { EnvironmentVariable } from '../../../lambdas/contract/environment-variables.js';
import type { TableSchema } from '../../../lambdas/contract/table-schemas.js';
import { DynamoDbLocal } from '../../../lambdas/local/dynamodb-local.js';
import { freePort } from '../../../lambdas/local/free-port.js';
import { createTableInput, ensureLocalTables } from '../../../lambdas/local/local-tables.js';

const TABLE_NAMES = {
  keys: 'lookout-keys',
  requestLog: 'lookout-request-log',
  responseCache: 'lookout-response-cache',
  quotas: 'lookout-quotas',
  quotaCounters: 'lookout-quota-counters',
  rollups: 'lookout-rollups',
  alerts: 'lookout-alerts',
};

/** DynamoDB Local on a free port, in its own directory, with the tables the local stack makes. */
export interface DynamoDbLocalTables {
  endpoint: string;
  tables: typeof TABLE_NAMES;
  /** The environment an adapter gets to reach `endpoint` (or another endpoint, such as a proxy in front of it). */
  environment(endpoint?: string): Record<string, string>;
  stop(): Promise<void>;
}

export async function startDynamoDbLocalTables(): Promise<DynamoDbLocalTables> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-dynamodb-'));
  const dynamo = new DynamoDbLocal(await freePort(), dataDir);
  await dynamo.start();
  await withAdminClient(dynamo.endpoint, (admin) => ensureLocalTables(admin, TABLE_NAMES));
  return {
    endpoint: dynamo.endpoint,
    tables: TABLE_NAMES,
    environment: (endpoint = dynamo.endpoint) => ({ AWS_REGION: 'local', [EnvironmentVariable.dynamodbEndpoint]: endpoint }),
    async stop() {
      await dynamo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a table the local stack does not make, from the schema the CDK stack builds it from, its TTL on as there. */
export async function createTableFromSchema(endpoint: string, tableName: string, schema: TableSchema): Promise<void> {
  await withAdminClient(endpoint, async (admin) => {
    await admin.send(new CreateTableCommand(createTableInput(tableName, schema)));
    if (schema.timeToLiveAttribute) {
      await admin.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: schema.timeToLiveAttribute, Enabled: true },
        }),
      );
    }
  });
}

async function withAdminClient(endpoint: string, use: (admin: DynamoDBClient) => Promise<void>): Promise<void> {
  const admin = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await use(admin);
  } finally {
    admin.destroy();
  }
}
