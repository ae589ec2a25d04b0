// First: the gateway module creates its streaming handler at import, which needs `awslambda`.
import './install-lambda-globals.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../adapters/dynamodb/document-client.js';
import { GatewayKeyTable } from '../adapters/dynamodb/gateway-key-table.js';
import { EnvironmentVariable } from '../contract/environment-variables.js';
import type { RuntimeConfig, RuntimeConfigInput } from '../contract/runtime-config-schema.js';
import { generateGatewayKey, hashGatewayKey, newGatewayKeyRecord } from '../core/auth/gateway-key.js';
import { parseRuntimeConfig } from '../core/runtime-config.js';
import { createGatewayHandler, gatewayAdaptersFromEnv, type GatewayAdapters } from '../handlers/gateway.js';
import { createQueryApiHandler } from '../handlers/query-api.js';
import { createRollupAggregatorHandler } from '../handlers/rollup-aggregator.js';
import { lockDataDir } from './data-dir-lock.js';
import { DynamoDbLocal } from './dynamodb-local.js';
import { freePort, isPortFree } from './free-port.js';
import { requireJava17 } from './java-runtime.js';
import { createLocalHttpServer, type LocalHttpServer } from './local-http-server.js';
import { ensureLocalTables } from './local-tables.js';
import { S3Local } from './s3-local.js';
import { startStreamPoller, type StreamPoller } from './stream-poller.js';
import { startLocalAlerting, type LocalAlertingOptions } from './local-alerting.js';
import type { EvaluationSummary } from '../app/alerts/alert-evaluator.js';
import { LOCAL_ENDPOINTS_FILE, type LocalEndpoints } from './local-data-dir.js';
import { buildLocalDashboard } from './local-dashboard.js';

export interface LocalStackOptions {
  /** `PORT`; 0 picks a free port. */
  port: number;
  dataDir: string;
  /**
   * The runtime config, as the CDK app would put it in `LOOKOUT_RUNTIME_CONFIG` (`npm start` has
   * applied the `LOOKOUT_<PROVIDER>_BASE_URL` overrides of its environment to it).
   */
  config: RuntimeConfigInput;
  /** `LOOKOUT_DEV_KEY`; when absent one is generated once and kept under `dataDir`. */
  devKey?: string;
  /**
   * `LOOKOUT_MAX_PENDING_LOG_WRITES`: answered requests whose log may still be being written
   * before new requests wait (see `LocalHttpServerOptions`). @default DEFAULT_MAX_PENDING_LOG_WRITES
   */
  maxPendingLogWrites?: number;
  /**
   * `LOOKOUT_REDIS_URL`: the response cache's Redis / Valkey server. Without it the cache is a
   * DynamoDB Local table, so `npm start` needs nothing but npm and Java.
   */
  redisUrl?: string;
  /** The alert channels' local endpoints and the evaluator's interval (`LOOKOUT_ALERT_INTERVAL_SECONDS` and the rest). */
  alerting?: Omit<LocalAlertingOptions, 'dataDir' | 'log'>;
  /**
   * Whether the stream poller feeds the log's stream to the rollups aggregator, as Lambda's event
   * source mapping does in AWS. `false` leaves the rollups empty: the bench's gateway runs, which
   * measure the gateway alone (in AWS the aggregator is a Lambda of its own, with its own CPU).
   * @default true
   */
  rollupAggregator?: boolean;
  /**
   * `LOOKOUT_GATEWAY_METRICS` for the gateway: `emf` writes its CloudWatch line per request to
   * stdout as in Lambda (the bench, to measure what Lambda runs). @default off
   */
  gatewayMetrics?: 'emf' | 'off';
  /** `LOOKOUT_PUBLIC_URL`: where links in notifications point; the stack's own URL by default. */
  publicUrl?: string;
  log?(message: string): void;
}

export interface LocalStack {
  url: string;
  devKey: string;
  /** The upstreams the gateway really uses. */
  providers: RuntimeConfig['providers'];
  /**
   * The environment the local Lambdas run with (the gateway's, which holds the query API's):
   * endpoints, table and bucket names, the runtime config. It is this stack's alone; nothing is
   * put in `process.env`, so several stacks can run in one process.
   */
  lambdaEnvironment: Readonly<Record<string, string>>;
  /** What the user should know about this start, such as a dev key that had to be re-activated. */
  notices: string[];
  /** The DynamoDB Local server, exposed so tests can stop and restart it. */
  dynamo: DynamoDbLocal;
  s3: S3Local;
  /**
   * Settles once every invocation has finished, its request log stored or dead-lettered, so a
   * test can wait for that condition instead of for a quiet spell.
   */
  idle(): Promise<void>;
  /**
   * Settles once every request stored in the log before the call is in the rollups (the stream
   * poller has handed it to the aggregator, which applied it): with `idle()`, what a test waits
   * on before reading `/v1/metrics`.
   */
  rollupsCaughtUp(): Promise<void>;
  /** One run of the alert evaluator now, as its timer runs it. */
  evaluateAlerts(): Promise<EvaluationSummary>;
  /** Where the alert e-mails can be read (`GET`), when the stack started the SES emulator. */
  emailStoreUrl: string | null;
  /** True when SNS messages are recorded in the rules' history, for want of `LOOKOUT_SNS_ENDPOINT`. */
  snsRecordedOnly: boolean;
  stop(): Promise<void>;
}

export const LOCAL_TABLE_NAMES = {
  keys: 'lookout-keys',
  requestLog: 'lookout-request-log',
  responseCache: 'lookout-response-cache',
  quotas: 'lookout-quotas',
  quotaCounters: 'lookout-quota-counters',
  rollups: 'lookout-rollups',
  alerts: 'lookout-alerts',
};
export const LOCAL_BODIES_BUCKET = 'lookout-bodies';

/** Where the local stack spools the request logs it could not write, for `npm run logs:replay`. */
export function localDeadLetterDir(dataDir: string): string {
  return join(resolve(dataDir), 'dead-letters');
}

/**
 * Enough to absorb a burst (DynamoDB Local stores a few hundred logs a second on two cores) while
 * holding a few MB at most: a pending log is its record and bodies, as a Lambda would hold it.
 */
export const DEFAULT_MAX_PENDING_LOG_WRITES = 256;

/** On stop, how long requests still running (and their request logs) get to finish. */
const STOP_GRACE_MS = 10_000;

/**
 * Runs the whole stack in this process: DynamoDB Local, an S3 server, the tables, and the gateway and query
 * Lambdas behind an HTTP server that speaks API Gateway's proxy events to them.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir, options.port === 0 ? null : localUrl(options.port));
  try {
    // Checked before anything starts, so each problem is one line rather than a half-started stack.
    if (options.port !== 0 && !(await isPortFree(options.port))) throw portInUseError(options.port);
    await requireJava17();
    const stack = await startServers(dataDir, options);
    lock.setUrl(stack.url);
    return {
      ...stack,
      async stop() {
        await stack.stop();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function startServers(dataDir: string, options: LocalStackOptions): Promise<LocalStack> {
  const dynamo = new DynamoDbLocal(await freePort(), join(dataDir, 'dynamodb'));
  const s3 = new S3Local(await freePort(), join(dataDir, 's3'), LOCAL_BODIES_BUCKET);
  let http: LocalHttpServer | undefined;
  let poller: StreamPoller | undefined;
  // The SES emulator starts beside DynamoDB Local (each takes a second or two).
  const alertingStart = startLocalAlerting({ ...options.alerting, dataDir, log: options.log });
  const dashboardBuild = buildLocalDashboard(dataDir, options.log);
  try {
    const [alerting] = await Promise.all([alertingStart, dynamo.start(), s3.start()]);
    const tableClient = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureLocalTables(tableClient, LOCAL_TABLE_NAMES);
    tableClient.destroy();

    // Each function gets what the CDK stack gives it, with local endpoints added.
    const queryApiEnvironment: Record<string, string> = {
      AWS_REGION: 'local',
      [EnvironmentVariable.dynamodbEndpoint]: dynamo.endpoint,
      [EnvironmentVariable.s3Endpoint]: s3.endpoint,
      [EnvironmentVariable.keysTable]: LOCAL_TABLE_NAMES.keys,
      [EnvironmentVariable.requestLogTable]: LOCAL_TABLE_NAMES.requestLog,
      [EnvironmentVariable.bodiesBucket]: LOCAL_BODIES_BUCKET,
      [EnvironmentVariable.quotasTable]: LOCAL_TABLE_NAMES.quotas,
      [EnvironmentVariable.rollupsTable]: LOCAL_TABLE_NAMES.rollups,
      [EnvironmentVariable.alertsTable]: LOCAL_TABLE_NAMES.alerts,
      [EnvironmentVariable.dashboardDir]: await dashboardBuild,
      ...alerting.environment,
      // The quota counters live where the response cache does, as in AWS: Redis when it is given.
      ...(options.redisUrl
        ? { [EnvironmentVariable.redisUrl]: options.redisUrl }
        : { [EnvironmentVariable.quotaCountersTable]: LOCAL_TABLE_NAMES.quotaCounters }),
      [EnvironmentVariable.runtimeConfig]: JSON.stringify(options.config),
    };
    // Request logs the gateway cannot write go to a spool directory here, where AWS has a queue.
    const gatewayEnvironment = {
      ...queryApiEnvironment,
      [EnvironmentVariable.deadLetterDir]: localDeadLetterDir(dataDir),
      ...(options.gatewayMetrics ? { [EnvironmentVariable.gatewayMetrics]: options.gatewayMetrics } : {}),
      ...(options.redisUrl
        ? { [EnvironmentVariable.redisUrl]: options.redisUrl }
        : { [EnvironmentVariable.cacheTable]: LOCAL_TABLE_NAMES.responseCache }),
    };
    const runtimeConfig = parseRuntimeConfig(gatewayEnvironment);
    const { devKey, notice: devKeyNotice } = await registerDevKey(dataDir, options.devKey, gatewayEnvironment);

    // Kept to close the Redis connection on stop; built on the gateway's first request, as in AWS.
    let gatewayAdapters: GatewayAdapters | undefined;
    const gateway = createGatewayHandler(gatewayEnvironment, (env, config) => (gatewayAdapters = gatewayAdaptersFromEnv(env, config)));
    const queryApi = createQueryApiHandler(queryApiEnvironment);
    // Lambda's event source mapping, here: DynamoDB Local's stream of the log, fed to the aggregator.
    if (options.rollupAggregator !== false) {
      poller = await startStreamPoller({
        endpoint: dynamo.endpoint,
        tableName: LOCAL_TABLE_NAMES.requestLog,
        handler: createRollupAggregatorHandler(queryApiEnvironment),
        log: options.log,
      });
    }
    http = createLocalHttpServer({
      gateway,
      queryApi,
      maxBodyBytes: runtimeConfig.maxBodyBytes,
      maxPendingLogWrites: options.maxPendingLogWrites ?? DEFAULT_MAX_PENDING_LOG_WRITES,
      isHealthy: () => dynamo.isUp(),
      onInvocationError: (route, error) => options.log?.(`invocation failed for ${route}: ${(error as Error)?.stack ?? error}`),
    });
    await listen(http.server, options.port);
    const url = localUrl((http.server.address() as { port: number }).port);
    // Known only now that the server listens; nothing has read it yet (the query API builds its
    // dependencies on its first request, the evaluator on its first run).
    queryApiEnvironment[EnvironmentVariable.publicUrl] = options.publicUrl ?? url;
    alerting.startSchedule(queryApiEnvironment);
    const endpoints: LocalEndpoints = { url, lambdaEnvironment: gatewayEnvironment };
    writeFileSync(join(dataDir, LOCAL_ENDPOINTS_FILE), JSON.stringify(endpoints, null, 2));

    const running = http;
    const streamPoller = poller;
    const localAlerting = alerting;
    return {
      url,
      devKey,
      providers: runtimeConfig.providers,
      lambdaEnvironment: gatewayEnvironment,
      notices: devKeyNotice ? [devKeyNotice] : [],
      dynamo,
      s3,
      idle: () => running.idle(),
      rollupsCaughtUp: () =>
        streamPoller ? streamPoller.caughtUp() : Promise.reject(new Error('this stack runs without the rollups aggregator')),
      evaluateAlerts: () => localAlerting.evaluateNow(),
      emailStoreUrl: localAlerting.emailStoreUrl,
      snsRecordedOnly: localAlerting.snsRecordedOnly,
      async stop() {
        await running.close(STOP_GRACE_MS);
        await localAlerting.stop();
        await streamPoller?.stop();
        await Promise.all([gatewayAdapters?.close?.(), queryApi.close()]);
        await Promise.all([dynamo.stop(), s3.stop()]);
      },
    };
  } catch (error) {
    await http?.close(0);
    await poller?.stop();
    await alertingStart.then(
      (alerting) => alerting.stop(),
      () => undefined,
    );
    await Promise.all([dynamo.stop(), s3.stop()]);
    throw error;
  }
}

function localUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

function portInUseError(port: number): Error {
  return new Error(`port ${port} is already in use; set PORT to another port`);
}

/** Listens on 127.0.0.1; a port taken since the check before start still gets the one-line error. */
async function listen(server: LocalHttpServer['server'], port: number): Promise<void> {
  server.listen(port, '127.0.0.1');
  try {
    await once(server, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portInUseError(port);
    throw error;
  }
}

function devKeyFile(dataDir: string): string {
  return join(dataDir, 'dev-key');
}

function persistentDevKey(dataDir: string): string {
  const file = devKeyFile(dataDir);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : newDevKeyFile(dataDir);
}

function newDevKeyFile(dataDir: string): string {
  const key = generateGatewayKey();
  writeFileSync(devKeyFile(dataDir), `${key}\n`, { mode: 0o600 });
  return key;
}

/**
 * The dev key is stored like any other key, as an admin key (admin keys also work as app keys).
 * A revoked one would be printed and then refused, so it is never left revoked: a key the user
 * gave (`LOOKOUT_DEV_KEY`) is what they asked for and is re-activated; a generated one may have
 * been revoked because it leaked, so it stays revoked and a new one replaces it.
 */
async function registerDevKey(
  dataDir: string,
  givenKey: string | undefined,
  env: Readonly<Record<string, string>>,
): Promise<{ devKey: string; notice?: string }> {
  const keys = new GatewayKeyTable(createDocumentClient(env), LOCAL_TABLE_NAMES.keys);
  const devKey = givenKey ?? persistentDevKey(dataDir);
  const existing = await keys.findByHash(hashGatewayKey(devKey));
  if (!existing) {
    await keys.create(newGatewayKeyRecord(devKey, 'dev', 'admin', Date.now()));
    return { devKey };
  }
  if (!existing.revokedAt) return { devKey };
  if (givenKey) {
    await keys.reactivate(existing.keyHash);
    return { devKey, notice: 'The dev key (LOOKOUT_DEV_KEY) had been revoked; re-activated it.' };
  }
  const replacement = newDevKeyFile(dataDir);
  await keys.create(newGatewayKeyRecord(replacement, 'dev', 'admin', Date.now()));
  return { devKey: replacement, notice: `The dev key in ${devKeyFile(dataDir)} had been revoked; generated a new one.` };
}
