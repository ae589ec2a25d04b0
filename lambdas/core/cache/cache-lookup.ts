import type { OriginalAnswer } from '../ports/response-cache.js';

/** What the response cache did for a request that asked for it, as the log records it. */
export type CacheLookup =
  /** Answered from the cache: the provider was not called. */
  | { status: 'hit'; bucketIdx: number; original: OriginalAnswer }
  /** Not in the cache (or the bucket was still filling): the provider answered. */
  | { status: 'miss' }
  /** The cache failed or was too slow (`cacheTimeoutMs`): the request went ahead uncached. */
  | { status: 'unavailable' };

export type CacheStatus = CacheLookup['status'];
