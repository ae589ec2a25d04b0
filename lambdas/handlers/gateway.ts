import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import { executionModeStreamifyResponse } from '@middy/core/StreamifyResponse';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, Context, StreamifyHandler } from 'aws-lambda';
import { dynamoDbJsonClientFromEnv } from '../adapters/dynamodb/dynamodb-json-client.js';
import { gatewayMetricsFromEnv } from '../adapters/gateway-metrics-from-env.js';
import { GatewayKeyLookup } from '../adapters/dynamodb/gateway-key-lookup.js';
import { QuotaDefinitionsLookup } from '../adapters/dynamodb/quota-definitions-lookup.js';
import { quotaCountersFromEnv } from '../adapters/quota-counters-from-env.js';
import { responseCacheFromEnv } from '../adapters/response-cache-from-env.js';
import { requestLogStorageFromEnv } from '../adapters/request-log-storage.js';
import { bodyObjectWriterFromEnv } from '../adapters/s3/body-object-writer.js';
import { QUICK_RETRIES, SINGLE_ATTEMPT } from '../adapters/sdk-retry-options.js';
import { deadLetterSenderFromEnv } from '../adapters/sqs/dead-letter-sender.js';
import { NodeHttpUpstream } from '../adapters/upstream/node-http-upstream.js';
import type { GatewayResponse } from '../app/gateway/gateway-context.js';
import { createGatewayPipeline, type GatewayDependencies, type GatewayPipeline } from '../app/gateway/gateway-pipeline.js';
import { GatewayKeyAuthenticator } from '../app/gateway-key-authenticator.js';
import { RequestLogRecorder } from '../app/request-log-recorder.js';
import { EnvironmentVariable } from '../contract/environment-variables.js';
import type { RuntimeConfig } from '../contract/runtime-config-schema.js';
import type { GatewayKeyFinder } from '../core/ports/gateway-key-store.js';
import { parseRuntimeConfig, requireEnv } from '../core/runtime-config.js';
import { httpRequestFromEvent } from './http/http-request-from-event.js';

type Env = Readonly<Record<string, string | undefined>>;

const logger = new Logger({ serviceName: 'lookout-gateway' });

/** Backoff between request-log write attempts before the record is dead-lettered. */
const LOG_RETRY_DELAYS_MS = [100, 400, 1_600];

/** What the gateway reaches the outside through; a test hands in its own. */
export interface GatewayAdapters {
  keys: GatewayKeyFinder;
  upstream: GatewayDependencies['upstream'];
  responseCache: GatewayDependencies['responseCache'];
  quotaCounters: GatewayDependencies['quotaCounters'];
  apiQuotas: GatewayDependencies['apiQuotas'];
  recordRequest: GatewayDependencies['recordRequest'];
  metrics: GatewayDependencies['metrics'];
  /** Lets go of what the adapters hold open (a Redis connection), for a runtime that stops (`npm start`). */
  close?(): Promise<void>;
}

/**
 * The adapters of a deployed (or `npm start`) gateway. DynamoDB is reached through the lean
 * client (signed requests over a pooled connection, no SDK in this bundle), one per retry policy,
 * sharing connections: a key lookup is on the request path, so it gets a few quick retries; a log
 * write is retried by the recorder with its own backoff and then dead-lettered, so its client
 * makes one attempt per call. Bodies go to S3 and dead letters to SQS through lean write-only
 * adapters on the same signed client (S3 PutObject, SQS SendMessage): no S3 or SQS SDK client
 * in this bundle either. The response cache and the quota counters are the Redis / Valkey server
 * of `LOOKOUT_REDIS_URL` (one connection for both), or their tables; the quotas made through the
 * API are listed from theirs with a few quick retries, as keys are looked up. Metrics are EMF
 * lines in the function's log in Lambda, and nothing elsewhere (`npm start`, the bench).
 */
export function gatewayAdaptersFromEnv(env: Env, config: RuntimeConfig): GatewayAdapters {
  const cache = responseCacheFromEnv(env);
  if (!cache) {
    throw new Error(`the gateway needs a response cache: set ${EnvironmentVariable.redisUrl} or ${EnvironmentVariable.cacheTable}`);
  }
  const counters = quotaCountersFromEnv(env);
  if (!counters) {
    throw new Error(`the gateway needs quota counters: set ${EnvironmentVariable.redisUrl} or ${EnvironmentVariable.quotaCountersTable}`);
  }
  const recorder = new RequestLogRecorder({
    ...requestLogStorageFromEnv(env, {
      config,
      dynamoDb: dynamoDbJsonClientFromEnv(env, SINGLE_ATTEMPT),
      bodies: (bucketName) => bodyObjectWriterFromEnv(env, bucketName),
      deadLetterQueue: (queueUrl) => deadLetterSenderFromEnv(env, queueUrl),
    }),
    retryDelaysMs: LOG_RETRY_DELAYS_MS,
    logger,
    now: Date.now,
  });
  return {
    keys: new GatewayKeyLookup(dynamoDbJsonClientFromEnv(env, QUICK_RETRIES), requireEnv(env, EnvironmentVariable.keysTable)),
    upstream: new NodeHttpUpstream(),
    responseCache: cache.cache,
    quotaCounters: counters.counters,
    apiQuotas: new QuotaDefinitionsLookup(dynamoDbJsonClientFromEnv(env, QUICK_RETRIES), requireEnv(env, EnvironmentVariable.quotasTable)),
    recordRequest: (record, bodies) => recorder.record(record, bodies),
    metrics: gatewayMetricsFromEnv(env, { providers: config.providers, logger }),
    close: async () => {
      await Promise.all([cache.close(), counters.close()]);
    },
  };
}

/**
 * What the Lambda runtime calls the gateway with: the event, the response stream and the context.
 * middy types every handler as `(event, context)`; in streaming mode it is in fact what
 * `awslambda.streamifyResponse` returned.
 */
export type GatewayHandler = StreamifyHandler<APIGatewayProxyEvent, void>;

/**
 * The gateway Lambda's streaming handler for `env`. The config is parsed and the dependencies
 * are built once, on the first invocation rather than at import: importing this module (the
 * `handler` below) then needs no complete environment, so tests and tools may import it.
 */
export function createGatewayHandler(
  env: Env,
  adapters: (env: Env, config: RuntimeConfig) => GatewayAdapters = gatewayAdaptersFromEnv,
): GatewayHandler {
  let pipeline: GatewayPipeline | undefined;
  const gatewayPipeline = (): GatewayPipeline => {
    if (pipeline) return pipeline;
    const config = parseRuntimeConfig(env);
    const { keys, upstream, responseCache, quotaCounters, apiQuotas, recordRequest, metrics } = adapters(env, config);
    return (pipeline = createGatewayPipeline({
      config,
      authenticator: new GatewayKeyAuthenticator(keys, config.keyCacheTtlMs),
      upstream,
      responseCache,
      quotaCounters,
      apiQuotas,
      recordRequest,
      metrics,
      logger,
      newRequestId: randomUUID,
      now: Date.now,
      random: Math.random,
    }));
  };
  /** Work that must finish after the client has its last byte (the request log), by invocation. */
  const afterResponse = new WeakMap<Context, Promise<void>>();

  return middy<APIGatewayProxyEvent, GatewayResponse>({
    executionMode: executionModeStreamifyResponse,
    // middy would arm a timer per request to answer just before the Lambda's deadline; the
    // gateway's deadline is its upstream timeout, and a stream cut at 15 minutes has no answer to give.
    timeoutEarlyInMillis: 0,
    requestEnd: async (request: { context: Context }) => afterResponse.get(request.context),
  }).handler(async (event: APIGatewayProxyEvent, context: Context) => {
    const handled = await gatewayPipeline()(httpRequestFromEvent(event));
    afterResponse.set(context, handled.afterResponse);
    return handled.response;
  }) as unknown as GatewayHandler;
}

export const handler = createGatewayHandler(process.env);
