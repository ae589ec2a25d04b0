import type { CachedAnswer, ResponseCache } from '../../lambdas/core/ports/response-cache.js';

/**
 * The response cache in memory, for the gateway's unit tests: entries expire on the test's
 * clock, and `failWith` / `hangReads` make it fail or stall the way a down or slow backend does.
 */
export class InMemoryResponseCache implements ResponseCache {
  readonly entries = new Map<string, { answer: CachedAnswer; expiresAtMs: number }>();
  readonly writes: Array<{ bucketKey: string; slot: number; ttlSeconds: number }> = [];
  readonly readKeys: string[] = [];
  failWith: Error | null = null;
  hangReads = false;

  constructor(private readonly now: () => number = Date.now) {}

  async readBucket(bucketKey: string, slots: number): Promise<(CachedAnswer | null)[]> {
    this.readKeys.push(bucketKey);
    if (this.hangReads) return new Promise(() => {});
    if (this.failWith) throw this.failWith;
    return Array.from({ length: slots }, (_, slot) => {
      const entry = this.entries.get(`${bucketKey}:${slot}`);
      return entry && entry.expiresAtMs > this.now() ? entry.answer : null;
    });
  }

  async write(bucketKey: string, slot: number, answer: CachedAnswer, ttlSeconds: number): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.writes.push({ bucketKey, slot, ttlSeconds });
    this.entries.set(`${bucketKey}:${slot}`, { answer, expiresAtMs: this.now() + ttlSeconds * 1000 });
  }
}
