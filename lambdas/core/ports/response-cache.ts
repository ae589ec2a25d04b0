import type { TokenUsage } from '../usage/token-usage.js';

/** The provider's answer to the request that filled a cache slot: what a hit saves. */
export interface OriginalAnswer {
  /** The logged request that reached the provider. */
  requestId: string;
  createdAtMs: number;
  latencyMs: number;
  ttftMs: number | null;
  /** The model the provider reported (or the one requested). */
  model: string | null;
  /** What the provider billed for it; null when it reported none. */
  usage: TokenUsage | null;
}

/** One stored answer, replayed byte for byte on a hit. It never holds a credential. */
export interface CachedAnswer {
  status: number;
  /** The response headers a hit replays (lower-case names): the content type and the like. */
  headers: Readonly<Record<string, string>>;
  /** The bytes the client received: a JSON body, or a stream's SSE events. */
  body: Uint8Array;
  /** Whether `body` is an SSE stream, replayed event by event. */
  stream: boolean;
  original: OriginalAnswer;
}

/**
 * The port of the response cache. A bucket holds up to `Cache-Bucket-Max-Size` different answers
 * to one request, each in its own slot; `bucketKey` is already scoped to the gateway key's cache
 * scope (cache-key.ts), so an adapter never mixes tenants. Adapters: Redis / Valkey
 * (`adapters/redis/`) and DynamoDB (`adapters/dynamodb/`).
 */
export interface ResponseCache {
  /** Slots 0 to `slots - 1` of a bucket, in order: the answer stored there, or null (none, or expired). */
  readBucket(bucketKey: string, slots: number): Promise<(CachedAnswer | null)[]>;
  /** Stores `answer` in `slot` of the bucket, for `ttlSeconds`. */
  write(bucketKey: string, slot: number, answer: CachedAnswer, ttlSeconds: number): Promise<void>;
}
