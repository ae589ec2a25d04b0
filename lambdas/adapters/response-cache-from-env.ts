import { EnvironmentVariable } from '../contract/environment-variables.js';
import type { ResponseCache } from '../core/ports/response-cache.js';
import { requireEnv } from '../core/runtime-config.js';
import { dynamoDbJsonClientFromEnv } from './dynamodb/dynamodb-json-client.js';
import { lazyAdapter } from './lazy-adapter.js';
import { ResponseCacheTable } from './dynamodb/response-cache-table.js';
import { redisServerFromEnv } from './redis/redis-server-from-env.js';
import { bodyObjectReaderFromEnv } from './s3/body-object-reader.js';
import { bodyObjectWriterFromEnv } from './s3/body-object-writer.js';
import { SINGLE_ATTEMPT } from './sdk-retry-options.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The response cache a function's environment configures, and how to let go of it. */
export interface ResponseCacheBackend {
  cache: ResponseCache;
  /** Closes what the backend holds open (the Redis connection); the local stack and tests call it as they stop. */
  close(): Promise<void>;
}

/**
 * The response cache the environment names: `LOOKOUT_REDIS_URL` set, Redis / Valkey (cluster
 * mode when `LOOKOUT_REDIS_CLUSTER` is `true`, as for ElastiCache Serverless); otherwise
 * `LOOKOUT_CACHE_TABLE` set, the DynamoDB table, with large entries in the bodies bucket
 * (`LOOKOUT_BODIES_BUCKET`); otherwise undefined, no cache.
 *
 * It returns at once, synchronously, so the gateway's adapters are built as before: the Redis
 * adapter is loaded with a dynamic `import()` (`lazy-adapter.ts`), which esbuild keeps lazy in the bundle, so a
 * gateway on the DynamoDB backend never evaluates iovalkey at its cold start. The import (and
 * the connection it opens) starts here, and each call waits for it; if it fails (a malformed
 * URL), every call rejects with that error, which the caller logs as a cache failure.
 *
 * The DynamoDB client makes one attempt per call (`SINGLE_ATTEMPT`): a request waits for the
 * cache only `cacheTimeoutMs` (50 ms by default), less than a retry's backoff, and a write that
 * fails just leaves the slot empty.
 */
export function responseCacheFromEnv(env: Env, { now = Date.now }: { now?: () => number } = {}): ResponseCacheBackend | undefined {
  const redis = redisServerFromEnv(env);
  if (redis) return redisBackend(redis.url, redis.cluster);
  const tableName = env[EnvironmentVariable.cacheTable];
  if (!tableName) return undefined;
  const bucketName = requireEnv(env, EnvironmentVariable.bodiesBucket);
  const cache = new ResponseCacheTable({
    dynamoDb: dynamoDbJsonClientFromEnv(env, SINGLE_ATTEMPT),
    tableName,
    now,
    largeEntries: { writer: bodyObjectWriterFromEnv(env, bucketName), reader: bodyObjectReaderFromEnv(env, bucketName) },
  });
  // Nothing to close: the lean client's sockets are the process's shared keep-alive pool, which never holds the process open.
  return { cache, close: async () => {} };
}

function redisBackend(url: string, cluster: boolean): ResponseCacheBackend {
  const redis = lazyAdapter(() =>
    import('./redis/redis-response-cache.js').then(({ redisResponseCacheFromUrl }) => redisResponseCacheFromUrl(url, { cluster })),
  );
  return {
    cache: {
      readBucket: async (bucketKey, slots) => (await redis.loaded()).readBucket(bucketKey, slots),
      write: async (bucketKey, slot, answer, ttlSeconds) => (await redis.loaded()).write(bucketKey, slot, answer, ttlSeconds),
    },
    close: redis.close,
  };
}
