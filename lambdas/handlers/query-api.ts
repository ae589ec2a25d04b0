import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { alertChannelsFromEnv, type AlertChannelAdapters } from '../adapters/alert-channels-from-env.js';
import { AlertTable } from '../adapters/dynamodb/alert-table.js';
import { createDocumentClient } from '../adapters/dynamodb/document-client.js';
import { GatewayKeyTable } from '../adapters/dynamodb/gateway-key-table.js';
import { QuotaTable } from '../adapters/dynamodb/quota-table.js';
import { RequestLogTableReader } from '../adapters/dynamodb/request-log-reader.js';
import { RollupTable } from '../adapters/dynamodb/rollup-table.js';
import { DashboardDirectory } from '../adapters/files/dashboard-directory.js';
import { quotaCountersFromEnv, type QuotaCountersBackend } from '../adapters/quota-counters-from-env.js';
import { BodyBucket } from '../adapters/s3/body-bucket.js';
import type { AlertDelivery } from '../app/alerts/alert-evaluator.js';
import { GatewayKeyAuthenticator } from '../app/gateway-key-authenticator.js';
import { QueryService } from '../app/query/query-service.js';
import { configAlertRules, indexedPropertiesOf } from '../contract/alert-rule.js';
import { EnvironmentVariable } from '../contract/environment-variables.js';
import { configQuotaDefinitions } from '../contract/quota-definition.js';
import type { AlertRuleStore, AlertStateStore } from '../core/ports/alert-store.js';
import type { QuotaCounters } from '../core/ports/quota-counters.js';
import { parseRuntimeConfig, requireEnv } from '../core/runtime-config.js';
import { channelDeliveryOf, publicUrlOf } from './alert-dependencies.js';
import { httpRequestFromEvent } from './http/http-request-from-event.js';

type Env = Readonly<Record<string, string | undefined>>;

const logger = new Logger({ serviceName: 'lookout-query-api' });

/** A test notification is one attempt per channel: the answer must come within API Gateway's 29 seconds. */
const NO_RETRIES: readonly number[] = [];

/**
 * The query API over the deployment's tables and bucket, with one DynamoDB client for the keys,
 * the log, the rollups, the quotas and the alerts.
 */
function queryServiceFromEnv(env: Env, counters: CounterReads, delivery: AlertDelivery): QueryService {
  const config = parseRuntimeConfig(env);
  const documentClient = createDocumentClient(env);
  const keys = new GatewayKeyTable(documentClient, requireEnv(env, EnvironmentVariable.keysTable));
  const dashboardDir = env[EnvironmentVariable.dashboardDir];
  return new QueryService({
    authenticator: new GatewayKeyAuthenticator(keys, config.keyCacheTtlMs),
    reads: new RequestLogTableReader(documentClient, requireEnv(env, EnvironmentVariable.requestLogTable)),
    rollups: new RollupTable(documentClient, requireEnv(env, EnvironmentVariable.rollupsTable), config.rollupRetentionDays),
    // The config's rules' properties are indexed too; those of rules made through the API are read by the aggregator only.
    indexedProperties: indexedPropertiesOf(config),
    rollupRetention: config.rollupRetentionDays,
    bodies: new BodyBucket(env, requireEnv(env, EnvironmentVariable.bodiesBucket)),
    configQuotas: configQuotaDefinitions(config.quotas),
    quotaStore: new QuotaTable(documentClient, requireEnv(env, EnvironmentVariable.quotasTable)),
    quotaCounters: counters,
    keys,
    configAlerts: configAlertRules(config.alerts),
    ...alertTableOnFirstUse(env, documentClient),
    alertDelivery: delivery,
    publicUrl: () => publicUrlOf(env),
    retentionDays: config.retentionDays,
    now: Date.now,
    logger,
    dashboardAssets: dashboardDir ? new DashboardDirectory(dashboardDir) : undefined,
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
 * The alerts table, named by the environment on the first alert route's call, so that an
 * environment without it (a test's) still serves every other route.
 */
function alertTableOnFirstUse(env: Env, documents: DynamoDBDocumentClient): { alertRules: AlertRuleStore; alertStates: AlertStateStore } {
  let built: AlertTable | undefined;
  const table = () => (built ??= new AlertTable(documents, requireEnv(env, EnvironmentVariable.alertsTable)));
  return {
    alertRules: {
      list: () => table().list(),
      get: (id) => table().get(id),
      put: (rule) => table().put(rule),
      delete: (id) => table().delete(id),
    },
    alertStates: {
      readStates: (ruleId) => table().readStates(ruleId),
      writeState: (ruleId, groupKey, state, expectedVersion) => table().writeState(ruleId, groupKey, state, expectedVersion),
      appendHistory: (ruleId, entries) => table().appendHistory(ruleId, entries),
      readHistory: (ruleId, limit) => table().readHistory(ruleId, limit),
    },
  };
}

/**
 * The test notifications' delivery over the channels the environment sets up (as the evaluator's),
 * built on the first test: its SDK clients hold sockets no other route needs.
 */
function alertDeliveryFromEnv(env: Env): AlertDelivery & { close(): void } {
  let channels: AlertChannelAdapters | undefined;
  let delivery: AlertDelivery | undefined;
  return {
    deliver: (rule, notification) => {
      if (!delivery) {
        channels = alertChannelsFromEnv(env);
        delivery = channelDeliveryOf(channels, NO_RETRIES);
      }
      return delivery.deliver(rule, notification);
    },
    close: () => channels?.destroy(),
  };
}

/**
 * The query API Lambda (`/v1/*`, `/healthz`, `/dashboard`) for `env`: an ordinary buffered REST
 * proxy integration. A non-JSON answer (the dashboard's) goes back base64-encoded: the API's
 * binary media type is `*\/*`, so API Gateway decodes it to the bytes, gzipped ones included.
 * The config is parsed and the dependencies are built once, on the first invocation rather than
 * at import: importing this module (the `handler` below) then needs no complete environment, so
 * tests and tools may import it.
 */
export function createQueryApiHandler(env: Env) {
  let service: QueryService | undefined;
  const counters = counterReadsFromEnv(env);
  const delivery = alertDeliveryFromEnv(env);
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>().handler(async (event: APIGatewayProxyEvent) => {
    service ??= queryServiceFromEnv(env, counters, delivery);
    const response = await service.handle(httpRequestFromEvent(event));
    if (response.bytes) {
      return { statusCode: response.status, headers: response.headers, body: response.bytes.toString('base64'), isBase64Encoded: true };
    }
    return {
      statusCode: response.status,
      headers: response.headers,
      body: response.body === undefined ? '' : JSON.stringify(response.body),
    };
  });
  // For a runtime that stops (`npm start`): a Lambda's connections end with its instance.
  return Object.assign(handler, {
    close: async () => {
      delivery.close();
      await counters.close();
    },
  });
}

export const handler = createQueryApiHandler(process.env);
