import { createHash } from 'node:crypto';
import { RESPONSE_CACHE_OBJECTS_PREFIX } from '../../contract/bucket-layout.js';
import { setTimeout as delay } from 'node:timers/promises';
import * as z from 'zod';
import { decodeCachedAnswerOrNull, encodeCachedAnswer } from '../../core/cache/cached-answer-codec.js';
import type { CachedAnswer, ResponseCache } from '../../core/ports/response-cache.js';
import type { BodyObjectReader } from '../s3/body-object-reader.js';
import type { BodyObjectWriter } from '../s3/body-object-writer.js';
import type { DynamoDbJsonClient } from './dynamodb-json-client.js';

/**
 * The response cache on DynamoDB (the backend for a deployment with no VPC), on the lean client:
 * one item per bucket slot (`responseCacheTableSchema`), `cacheKey` = `<bucket key>:<slot>`, with
 * `expiresAt` (epoch seconds) as the table's TTL. A bucket is read in one BatchGetItem.
 *
 * An item holds at most 400 KB, so an entry (the cached-answer bytes, `cached-answer-codec.ts`)
 * larger than `INLINE_ENTRY_MAX_BYTES` goes to the bodies bucket under `cache/`, and its item
 * holds the object's key (`s3Key`) instead of the bytes (`entry`). The object is written before
 * the item, so an item never points at an object that was not written yet.
 *
 * What reads as a miss (null): no item; an item DynamoDB has not yet deleted although its
 * `expiresAt` has passed (it deletes expired items lazily, within days); a key BatchGetItem still
 * left unprocessed after `UNPROCESSED_RETRIES` more calls; an item or entry that does not parse;
 * an `s3Key` whose object is gone (the bucket's lifecycle rule may remove it first). Everything
 * else, a failed call above all, rejects: the caller decides what a failure costs.
 */

/** The largest entry kept in its item: with the key and `expiresAt`, well under DynamoDB's 400 KB. */
export const INLINE_ENTRY_MAX_BYTES = 350 * 1024;

/** Further BatchGetItem calls for the keys a call left unprocessed, before they read as misses. */
const UNPROCESSED_RETRIES = 2;
/** The first of those waits up to this long, the next up to twice as long (jittered): short, as a request is waiting. */
const UNPROCESSED_RETRY_BASE_DELAY_MS = 10;

const itemSchema = z.object({
  cacheKey: z.string(),
  expiresAt: z.number(),
  entry: z.instanceof(Uint8Array).optional(),
  s3Key: z.string().optional(),
});
type ResponseCacheItem = z.infer<typeof itemSchema>;

export interface ResponseCacheTableOptions {
  dynamoDb: DynamoDbJsonClient;
  tableName: string;
  /** Epoch milliseconds: what `expiresAt` is written from and read against. */
  now: () => number;
  /** Where entries too large for their item go, in the bodies bucket, and are read back from. */
  largeEntries: { writer: Pick<BodyObjectWriter, 'putObject'>; reader: Pick<BodyObjectReader, 'get'> };
}

export class ResponseCacheTable implements ResponseCache {
  private readonly dynamoDb: DynamoDbJsonClient;
  private readonly tableName: string;
  private readonly now: () => number;
  private readonly largeEntries: ResponseCacheTableOptions['largeEntries'];

  constructor({ dynamoDb, tableName, now, largeEntries }: ResponseCacheTableOptions) {
    this.dynamoDb = dynamoDb;
    this.tableName = tableName;
    this.now = now;
    this.largeEntries = largeEntries;
  }

  async readBucket(bucketKey: string, slots: number): Promise<(CachedAnswer | null)[]> {
    const cacheKeys = Array.from({ length: slots }, (_, slot) => slotCacheKey(bucketKey, slot));
    const items = await this.batchGet(cacheKeys);
    const nowMs = this.now();
    return Promise.all(cacheKeys.map((cacheKey) => this.answerOf(items.get(cacheKey), nowMs)));
  }

  async write(bucketKey: string, slot: number, answer: CachedAnswer, ttlSeconds: number): Promise<void> {
    const cacheKey = slotCacheKey(bucketKey, slot);
    const entry = encodeCachedAnswer(answer);
    // Rounded up: an entry lives at least `ttlSeconds`, at most a second more.
    const expiresAt = Math.ceil(this.now() / 1000 + ttlSeconds);
    if (entry.byteLength <= INLINE_ENTRY_MAX_BYTES) {
      await this.dynamoDb.putItem({ TableName: this.tableName, Item: { cacheKey, expiresAt, entry } });
      return;
    }
    const s3Key = largeEntryObjectKey(cacheKey);
    await this.largeEntries.writer.putObject(s3Key, entry, { contentType: 'application/octet-stream' });
    await this.dynamoDb.putItem({ TableName: this.tableName, Item: { cacheKey, expiresAt, s3Key } });
  }

  /** The items found under `cacheKeys`, by key; keys still unprocessed after the retries are left out. */
  private async batchGet(cacheKeys: string[]): Promise<Map<string, ResponseCacheItem>> {
    const items = new Map<string, ResponseCacheItem>();
    let keys: Record<string, unknown>[] = cacheKeys.map((cacheKey) => ({ cacheKey }));
    for (let retry = 0; keys.length > 0 && retry <= UNPROCESSED_RETRIES; retry++) {
      if (retry > 0) await delay(Math.random() * UNPROCESSED_RETRY_BASE_DELAY_MS * 2 ** (retry - 1));
      const { items: found, unprocessedKeys } = await this.dynamoDb.batchGetItem({ TableName: this.tableName, Keys: keys });
      for (const item of found) {
        const parsed = itemSchema.safeParse(item);
        if (parsed.success) items.set(parsed.data.cacheKey, parsed.data);
      }
      keys = unprocessedKeys;
    }
    return items;
  }

  private async answerOf(item: ResponseCacheItem | undefined, nowMs: number): Promise<CachedAnswer | null> {
    if (item === undefined || item.expiresAt * 1000 <= nowMs) return null;
    if (item.entry !== undefined) return decodeCachedAnswerOrNull(item.entry);
    if (item.s3Key === undefined) return null;
    const bytes = await this.largeEntries.reader.get(item.s3Key);
    return bytes === undefined ? null : decodeCachedAnswerOrNull(bytes);
  }
}

function slotCacheKey(bucketKey: string, slot: number): string {
  return `${bucketKey}:${slot}`;
}

/** `cache/<SHA-256 of the cache key>`: one object per slot, of one length whatever the key, overwritten with its slot. */
export function largeEntryObjectKey(cacheKey: string): string {
  return `${RESPONSE_CACHE_OBJECTS_PREFIX}${createHash('sha256').update(cacheKey).digest('hex')}`;
}
