import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EnvironmentVariable } from '../../../lambdas/contract/environment-variables.js';
import { DynamoDbLocal } from '../../../lambdas/local/dynamodb-local.js';
import { freePort } from '../../../lambdas/local/free-port.js';
import { ensureLocalTables } from '../../../lambdas/local/local-tables.js';

const TABLE_NAMES = { keys: 'lookout-keys', requestLog: 'lookout-request-log', responseCache: 'lookout-response-cache' };

/** DynamoDB Local on a free port, in its own directory, with the keys, request-log and response-cache tables. */
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
  const admin = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await ensureLocalTables(admin, TABLE_NAMES);
  } finally {
    admin.destroy();
  }
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
