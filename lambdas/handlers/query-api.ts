import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createDocumentClient } from '../adapters/dynamodb/document-client.js';
import { GatewayKeyTable } from '../adapters/dynamodb/gateway-key-table.js';
import { QuotaTable } from '../adapters/dynamodb/quota-table.js';
import { RequestLogTableReader } from '../adapters/dynamodb/request-log-reader.js';
import { RollupTable } from '../adapters/dynamodb/rollup-table.js';
import { quotaCountersFromEnv, type QuotaCountersBackend } from '../adapters/quota-counters-from-env.js';
import { BodyBucket } from '../adapters/s3/body-bucket.js';
import { GatewayKeyAuthenticator } from '../app/gateway-key-authenticator.js';
import { QueryService } from '../app/query/query-service.js';
import { EnvironmentVariable } from '../contract/environment-variables.js';
import { configQuotaDefinitions } from '../contract/quota-definition.js';
import type { QuotaCounters } from '../core/ports/quota-counters.js';
import { parseRuntimeConfig, requireEnv } from '../core/runtime-config.js';
import { httpRequestFromEvent } from './http/http-request-from-event.js';

type Env = Readonly<Record<string, string | undefined>>;

const logger = new Logger({ serviceName: 'lookout-query-api' });

/** The query API over the deployment's tables and bucket, with one DynamoDB client for the keys, the log, the rollups and the quotas. */
function queryServiceFromEnv(env: Env, counters: CounterReads): QueryService {
  const config = parseRuntimeConfig(env);
  const documentClient = createDocumentClient(env);
  const keys = new GatewayKeyTable(documentClient, requireEnv(env, EnvironmentVariable.keysTable));
  return new QueryService({
    authenticator: new GatewayKeyAuthenticator(keys, config.keyCacheTtlMs),
    reads: new RequestLogTableReader(documentClient, requireEnv(env, EnvironmentVariable.requestLogTable)),
    rollups: new RollupTable(documentClient, requireEnv(env, EnvironmentVariable.rollupsTable), config.rollupRetentionDays),
    indexedProperties: config.indexedProperties,
    rollupRetention: config.rollupRetentionDays,
    bodies: new BodyBucket(env, requireEnv(env, EnvironmentVariable.bodiesBucket)),
    configQuotas: configQuotaDefinitions(config.quotas),
    quotaStore: new QuotaTable(documentClient, requireEnv(env, EnvironmentVariable.quotasTable)),
    quotaCounters: counters,
    keys,
    retentionDays: config.retentionDays,
    now: Date.now,
    logger,
  });
}

/** The counters' reads, and how to let go of the connection they may hold. */
type CounterReads = Pick<QuotaCounters, 'read'> & { close(): Promise<void> };

/**
 * The quota counters, built on the first usage read: on Redis they hold a connection open, which
 * no other route needs.
 */
function counterReadsFromEnv(env: Env): CounterReads {
  let backend: QuotaCountersBackend | undefined;
  return {
    close: async () => backend?.close(),
    read: (window, nowMs) => {
      backend ??= quotaCountersFromEnv(env);
      if (!backend) {
        throw new Error(`${EnvironmentVariable.quotaCountersTable} or ${EnvironmentVariable.redisUrl} must be set to read quota counters`);
      }
      return backend.counters.read(window, nowMs);
    },
  };
}

/**
 * The query API Lambda (`/v1/*`, `/healthz`) for `env`: an ordinary buffered REST proxy
 * integration. The config is parsed and the dependencies are built once, on the first invocation
 * rather than at import: importing this module (the `handler` below) then needs no complete
 * environment, so tests and tools may import it.
 */
export function createQueryApiHandler(env: Env) {
  let service: QueryService | undefined;
  const counters = counterReadsFromEnv(env);
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>().handler(async (event: APIGatewayProxyEvent) => {
    service ??= queryServiceFromEnv(env, counters);
    const response = await service.handle(httpRequestFromEvent(event));
    return {
      statusCode: response.status,
      headers: response.headers,
      body: response.body === undefined ? '' : JSON.stringify(response.body),
    };
  });
  // For a runtime that stops (`npm start`): a Lambda's connections end with its instance.
  return Object.assign(handler, { close: () => counters.close() });
}

export const handler = createQueryApiHandler(process.env);
