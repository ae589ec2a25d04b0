import { decodeCachedAnswerOrNull, encodeCachedAnswer } from '../../core/cache/cached-answer-codec.js';
import type { CachedAnswer, ResponseCache } from '../../core/ports/response-cache.js';
import { type RedisConnection, redisConnectionFromUrl } from './redis-connection.js';

/**
 * The response cache on Redis / Valkey, over the process's shared connection
 * (`redis-connection.ts`, which says how it never holds a request). Each slot of a bucket is one
 * string key holding the cached-answer bytes (`cached-answer-codec.ts`), set with `EX` so that
 * Redis expires it; a value that does not decode reads as a miss. Failures reach the caller only
 * as rejected promises, and nothing here logs per request.
 */
export class RedisResponseCache implements ResponseCache {
  constructor(private readonly connection: RedisConnection) {}

  async readBucket(bucketKey: string, slots: number): Promise<(CachedAnswer | null)[]> {
    await this.connection.ready();
    const keys = Array.from({ length: slots }, (_, slot) => slotKey(bucketKey, slot));
    const values = await this.connection.client.mgetBuffer(keys);
    return values.map(answerOrNull);
  }

  async write(bucketKey: string, slot: number, answer: CachedAnswer, ttlSeconds: number): Promise<void> {
    await this.connection.ready();
    await this.connection.client.set(slotKey(bucketKey, slot), encodeCachedAnswer(answer), 'EX', ttlSeconds);
  }

  /** Lets go of the shared connection (closed once its last user lets go). */
  async close(): Promise<void> {
    await this.connection.close();
  }
}

/**
 * `lookout:cache:{<bucket key>}:<slot>`. Only the part in braces, the hash tag, picks a key's
 * cluster hash slot, so every slot of a bucket lives on the same shard: `readBucket` is one
 * MGET even in cluster mode, where keys of different hash slots would fail with CROSSSLOT.
 */
function slotKey(bucketKey: string, slot: number): string {
  return `lookout:cache:{${bucketKey}}:${slot}`;
}

function answerOrNull(bytes: Buffer | null): CachedAnswer | null {
  return bytes === null ? null : decodeCachedAnswerOrNull(bytes);
}

/** The cache on the server `url` names (`redisConnectionFromUrl`); `cluster` for a cluster-mode endpoint. */
export function redisResponseCacheFromUrl(url: string, options: { cluster: boolean }): RedisResponseCache {
  return new RedisResponseCache(redisConnectionFromUrl(url, options));
}
