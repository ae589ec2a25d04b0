import { EnvironmentVariable } from '../contract/environment-variables.js';
import type { QuotaCounters } from '../core/ports/quota-counters.js';
import { dynamoDbJsonClientFromEnv } from './dynamodb/dynamodb-json-client.js';
import { QuotaCounterTable } from './dynamodb/quota-counter-table.js';
import { lazyAdapter } from './lazy-adapter.js';
import { redisServerFromEnv } from './redis/redis-server-from-env.js';
import { SINGLE_ATTEMPT } from './sdk-retry-options.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The quota counters a function's environment configures, and how to let go of them. */
export interface QuotaCountersBackend {
  counters: QuotaCounters;
  /** Closes what the backend holds open (its hold on the Redis connection); the local stack and tests call it as they stop. */
  close(): Promise<void>;
}

/**
 * The quota counters the environment names: `LOOKOUT_REDIS_URL` set, Redis / Valkey beside the
 * response cache, on the same connection (`redis-connection.ts` keeps one per server per
 * process) and loaded as lazily (`lazy-adapter.ts`); otherwise `LOOKOUT_QUOTA_COUNTERS_TABLE`
 * set, the DynamoDB table; otherwise undefined, no counters. It returns at once, synchronously;
 * if the Redis adapter fails to load (a malformed URL), every call rejects with that error, and
 * the caller's store-failure policy (`quotaStoreFailure`) applies.
 *
 * The DynamoDB client makes one attempt per call (`SINGLE_ATTEMPT`): the table's reserve retries
 * its own compare-and-swap, and a settle sent twice would be counted twice.
 */
export function quotaCountersFromEnv(env: Env): QuotaCountersBackend | undefined {
  const redis = redisServerFromEnv(env);
  if (redis) return redisBackend(redis.url, redis.cluster);
  const tableName = env[EnvironmentVariable.quotaCountersTable];
  if (!tableName) return undefined;
  const counters = new QuotaCounterTable({ dynamoDb: dynamoDbJsonClientFromEnv(env, SINGLE_ATTEMPT), tableName });
  // Nothing to close: the lean client's sockets are the process's shared keep-alive pool, which never holds the process open.
  return { counters, close: async () => {} };
}

function redisBackend(url: string, cluster: boolean): QuotaCountersBackend {
  const redis = lazyAdapter(() =>
    import('./redis/redis-quota-counters.js').then(({ redisQuotaCountersFromUrl }) => redisQuotaCountersFromUrl(url, { cluster })),
  );
  return {
    counters: {
      reserve: async (window, amount, nowMs) => (await redis.loaded()).reserve(window, amount, nowMs),
      settle: async (reservation, actual, nowMs) => (await redis.loaded()).settle(reservation, actual, nowMs),
      read: async (window, nowMs) => (await redis.loaded()).read(window, nowMs),
    },
    close: redis.close,
  };
}
