import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../adapters/dynamodb/document-client.js';
import { GatewayKeyTable } from '../adapters/dynamodb/gateway-key-table.js';
import { generateGatewayKey, hashGatewayKey, newGatewayKeyRecord } from '../core/auth/gateway-key.js';
import { parseRuntimeConfig, type RuntimeConfigInput } from '../core/runtime-config.js';
import { DynamoDbLocal } from './dynamodb-local.js';
import { freePort } from './free-port.js';
import { createLocalHttpServer, type LocalHttpServer } from './local-http-server.js';
import { ensureLocalTables } from './local-tables.js';
import { installLambdaStreamingGlobals } from './lambda-streaming-globals.js';
import { S3Local } from './s3-local.js';
import { LOCAL_ENDPOINTS_FILE, type LocalEndpoints } from './local-data-dir.js';

export interface LocalStackOptions {
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  /** The runtime config, as the CDK app would put it in `LOOKOUT_RUNTIME_CONFIG`. */
  config: RuntimeConfigInput;
  /** `LOOKOUT_DEV_KEY`; when absent one is generated once and kept under `dataDir`. */
  devKey?: string;
  log?(message: string): void;
}

export interface LocalStack {
  url: string;
  devKey: string;
  /** The DynamoDB Local server, exposed so tests can stop and restart it. */
  dynamo: DynamoDbLocal;
  s3: S3Local;
  stop(): Promise<void>;
}

export const LOCAL_TABLE_NAMES = { keys: 'lookout-keys', requestLog: 'lookout-request-log' };
export const LOCAL_BODIES_BUCKET = 'lookout-bodies';

/** On stop, how long requests still running (and their request logs) get to finish. */
const STOP_GRACE_MS = 10_000;

/**
 * Runs the whole stack in this process: DynamoDB Local, an S3 server, the tables, and the gateway and query
 * Lambdas behind an HTTP server that speaks API Gateway's proxy events to them.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const dynamo = new DynamoDbLocal(await freePort(), join(dataDir, 'dynamodb'));
  const s3 = new S3Local(await freePort(), join(dataDir, 's3'), LOCAL_BODIES_BUCKET);
  let http: LocalHttpServer | undefined;
  try {
    await Promise.all([dynamo.start(), s3.start()]);
    const tableClient = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureLocalTables(tableClient, LOCAL_TABLE_NAMES);
    tableClient.destroy();

    const lambdaEnvironment = {
      AWS_REGION: 'local',
      LOOKOUT_DYNAMODB_ENDPOINT: dynamo.endpoint,
      LOOKOUT_KEYS_TABLE: LOCAL_TABLE_NAMES.keys,
      LOOKOUT_REQUEST_LOG_TABLE: LOCAL_TABLE_NAMES.requestLog,
      LOOKOUT_S3_ENDPOINT: s3.endpoint,
      LOOKOUT_BODIES_BUCKET: LOCAL_BODIES_BUCKET,
      LOOKOUT_DEAD_LETTER_DIR: join(dataDir, 'dead-letters'),
      LOOKOUT_RUNTIME_CONFIG: JSON.stringify(options.config),
    };
    Object.assign(process.env, lambdaEnvironment);
    const runtimeConfig = parseRuntimeConfig(process.env);
    const devKey = options.devKey ?? persistentDevKey(dataDir);
    await registerDevKey(devKey);

    installLambdaStreamingGlobals();
    const { handler: gateway } = await import('../handlers/gateway.js');
    const { handler: queryApi } = await import('../handlers/query-api.js');
    http = createLocalHttpServer({
      gateway: gateway as never,
      queryApi: queryApi as never,
      maxBodyBytes: runtimeConfig.maxBodyBytes,
      isHealthy: () => dynamo.isUp(),
      onInvocationError: (route, error) => options.log?.(`invocation failed for ${route}: ${(error as Error)?.stack ?? error}`),
    });
    http.server.listen(options.port, '127.0.0.1');
    await once(http.server, 'listening');
    const { port } = http.server.address() as { port: number };
    const url = `http://127.0.0.1:${port}`;
    const endpoints: LocalEndpoints = { url, lambdaEnvironment };
    writeFileSync(join(dataDir, LOCAL_ENDPOINTS_FILE), JSON.stringify(endpoints, null, 2));

    const running = http;
    return {
      url,
      devKey,
      dynamo,
      s3,
      async stop() {
        await running.close(STOP_GRACE_MS);
        await Promise.all([dynamo.stop(), s3.stop()]);
      },
    };
  } catch (error) {
    await http?.close(0);
    await Promise.all([dynamo.stop(), s3.stop()]);
    throw error;
  }
}

function persistentDevKey(dataDir: string): string {
  const file = join(dataDir, 'dev-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = generateGatewayKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** The dev key is stored like any other key, as an admin key (admin keys also work as app keys). */
async function registerDevKey(devKey: string): Promise<void> {
  const keys = new GatewayKeyTable(createDocumentClient(process.env), LOCAL_TABLE_NAMES.keys);
  if (await keys.findByHash(hashGatewayKey(devKey))) return;
  await keys.create(newGatewayKeyRecord(devKey, 'dev', 'admin', Date.now()));
}
