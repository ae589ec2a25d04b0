import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/document-client.js';
import { GatewayKeyTable } from '../../lambdas/adapters/dynamodb/gateway-key-table.js';
import { generateGatewayKey, newGatewayKeyRecord, type GatewayKeyRole } from '../../lambdas/core/auth/gateway-key.js';
import type { RuntimeConfigInput } from '../../lambdas/contract/runtime-config-schema.js';
import { LOCAL_TABLE_NAMES, startLocalStack, type LocalStack, type LocalStackOptions } from '../../lambdas/local/local-stack.js';
import { MockProvider } from '../../lambdas/demo/mock-provider.js';

export interface StackFixture {
  stack: LocalStack;
  mock: MockProvider;
  url: string;
  dataDir: string;
  keys: GatewayKeyTable;
  /** Creates a key straight in the keys table, as `npm run keys -- create` does. */
  createKey(role: GatewayKeyRole, name?: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts a mock provider and the whole local stack (DynamoDB Local included) aimed at it. */
export async function startStackFixture(
  config: Partial<RuntimeConfigInput> = {},
  options: Pick<LocalStackOptions, 'maxPendingLogWrites' | 'redisUrl' | 'alerting' | 'rollupAggregator' | 'gatewayMetrics'> = {},
): Promise<StackFixture> {
  const mock = await MockProvider.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-test-'));
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    config: { ...config, providers: { openai: { baseUrl: mock.url }, anthropic: { baseUrl: mock.url }, ...config.providers } },
    log: (message) => console.error(message),
    ...options,
  });
  const keys = new GatewayKeyTable(createDocumentClient(stack.lambdaEnvironment), LOCAL_TABLE_NAMES.keys);
  return {
    stack,
    mock,
    url: stack.url,
    dataDir,
    keys,
    async createKey(role, name = `test-${role}`) {
      const key = generateGatewayKey();
      await keys.create(newGatewayKeyRecord(key, name, role, Date.now()));
      return key;
    },
    async close() {
      await stack.stop();
      await mock.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
