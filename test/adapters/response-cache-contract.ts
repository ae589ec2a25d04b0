/**
 * The one contract of the `ResponseCache` port, run against each backend (Redis / Valkey in
 * `redis/redis-response-cache.test.ts`, DynamoDB with S3 for large entries in
 * `dynamodb/response-cache-table.test.ts`): what the gateway's cache step relies on, whichever
 * backend a deployment picks. Each test uses bucket keys of its own, so tests never see each
 * other's entries.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { CachedAnswer, ResponseCache } from '../../lambdas/core/ports/response-cache.js';

export interface ResponseCacheUnderTest {
  cache: ResponseCache;
  /** Stores bytes that are not a cached answer in `slot` of the bucket, the backend's own way. */
  storeCorruptEntry(bucketKey: string, slot: number): Promise<void>;
  /** Releases what the cache holds (a connection), after the suite. */
  close?(): Promise<void>;
}

/** Longest wait for an entry stored for 1 s to read as gone (DynamoDB's expiry is rounded up to the next whole second). */
const EXPIRY_WAIT_MS = 5_000;
const EXPIRY_POLL_MS = 100;

/** A bucket key as the gateway makes one (`cache-key.ts`: a SHA-256 in hex), new for each call. */
export function newBucketKey(): string {
  return createHash('sha256').update(randomUUID()).digest('hex');
}

/** A buffered chat completion with its usage. */
export function bufferedAnswer(text: string): CachedAnswer {
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'openai-processing-ms': '640' },
    body: Buffer.from(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', choices: [{ message: { content: text } }] })),
    stream: false,
    original: {
      requestId: randomUUID(),
      createdAtMs: 1_767_225_600_123,
      latencyMs: 812,
      ttftMs: null,
      model: 'gpt-4o-mini-2024-07-18',
      usage: {
        promptTokens: 1_200,
        completionTokens: 30,
        cachedTokens: 1_024,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        totalTokens: 1_230,
      },
    },
  };
}

/** A streamed answer the provider reported no usage for. */
function streamedAnswer(): CachedAnswer {
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    body: Buffer.from(
      'event: message_start\ndata: {"type":"message_start"}\n\n' +
        'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"text":"Hé, 世界"}}\n\n' +
        'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    ),
    stream: true,
    original: { requestId: randomUUID(), createdAtMs: 1_767_225_600_000, latencyMs: 2_310, ttftMs: 140, model: null, usage: null },
  };
}

/** `read` is `expected`, field by field and byte for byte (the body may come back as a Buffer over a larger one). */
function assertSameAnswer(read: CachedAnswer | null | undefined, expected: CachedAnswer): void {
  assert.ok(read, 'expected a stored answer, read null');
  const { body, ...rest } = read;
  const { body: expectedBody, ...expectedRest } = expected;
  assert.deepEqual(rest, expectedRest);
  assert.ok(
    Buffer.from(body).equals(Buffer.from(expectedBody)),
    `body differs: ${body.byteLength} bytes read, ${expectedBody.byteLength} stored`,
  );
}

export function describeResponseCacheContract(name: string, makeCache: () => Promise<ResponseCacheUnderTest>): void {
  describe(`ResponseCache contract: ${name}`, () => {
    let subject: ResponseCacheUnderTest;
    let cache: ResponseCache;

    before(async () => {
      subject = await makeCache();
      cache = subject.cache;
    });
    after(async () => {
      await subject?.close?.();
    });

    it('reads an empty bucket as one null per slot', async () => {
      assert.deepEqual(await cache.readBucket(newBucketKey(), 1), [null]);
      assert.deepEqual(
        await cache.readBucket(newBucketKey(), 20),
        Array.from({ length: 20 }, () => null),
      );
    });

    it('reads back a buffered answer with its usage as it was written: status, headers, stream flag, original and body', async () => {
      const bucketKey = newBucketKey();
      const answer = bufferedAnswer('Paris.');

      await cache.write(bucketKey, 0, answer, 60);

      const [read] = await cache.readBucket(bucketKey, 1);
      assertSameAnswer(read, answer);
    });

    it('reads back a streamed answer with no usage, its SSE bytes exact', async () => {
      const bucketKey = newBucketKey();
      const answer = streamedAnswer();

      await cache.write(bucketKey, 0, answer, 60);

      const [read] = await cache.readBucket(bucketKey, 1);
      assertSameAnswer(read, answer);
      assert.equal(read?.stream, true);
      assert.equal(read?.original.usage, null);
    });

    it('keeps slots apart: slot 2 written, slots 0 and 1 read as null', async () => {
      const bucketKey = newBucketKey();
      const answer = bufferedAnswer('third');

      await cache.write(bucketKey, 2, answer, 60);

      const read = await cache.readBucket(bucketKey, 3);
      assert.equal(read.length, 3);
      assert.equal(read[0], null);
      assert.equal(read[1], null);
      assertSameAnswer(read[2], answer);
    });

    it('never shows one bucket the entries of another', async () => {
      const [first, second, untouched] = [newBucketKey(), newBucketKey(), newBucketKey()];
      const [firstAnswer, secondAnswer] = [bufferedAnswer('first bucket'), bufferedAnswer('second bucket')];

      await cache.write(first, 0, firstAnswer, 60);
      await cache.write(second, 0, secondAnswer, 60);

      assertSameAnswer((await cache.readBucket(first, 1))[0], firstAnswer);
      assertSameAnswer((await cache.readBucket(second, 1))[0], secondAnswer);
      assert.deepEqual(await cache.readBucket(untouched, 2), [null, null]);
    });

    it('overwrites a slot: the later write is what a read finds', async () => {
      const bucketKey = newBucketKey();
      const later = streamedAnswer();

      await cache.write(bucketKey, 1, bufferedAnswer('earlier'), 60);
      await cache.write(bucketKey, 1, later, 60);

      const read = await cache.readBucket(bucketKey, 2);
      assert.equal(read[0], null);
      assertSameAnswer(read[1], later);
    });

    it('round-trips a 1 MiB body, every byte', async () => {
      const bucketKey = newBucketKey();
      const answer = { ...bufferedAnswer('large'), body: randomBytes(1024 * 1024) };

      await cache.write(bucketKey, 0, answer, 60);

      assertSameAnswer((await cache.readBucket(bucketKey, 1))[0], answer);
    });

    it('forgets an entry once its lifetime has passed', async () => {
      const bucketKey = newBucketKey();
      const answer = bufferedAnswer('short-lived');

      await cache.write(bucketKey, 0, answer, 1);
      assertSameAnswer((await cache.readBucket(bucketKey, 1))[0], answer);

      const deadline = Date.now() + EXPIRY_WAIT_MS;
      let read = await cache.readBucket(bucketKey, 1);
      while (read[0] !== null && Date.now() < deadline) {
        await delay(EXPIRY_POLL_MS);
        read = await cache.readBucket(bucketKey, 1);
      }
      assert.deepEqual(read, [null], `still there ${EXPIRY_WAIT_MS} ms after a lifetime of 1 s`);
    });

    it('reads a stored value that is not a cached answer as null, and the other slots as they are', async () => {
      const bucketKey = newBucketKey();
      const answer = bufferedAnswer('intact');

      await cache.write(bucketKey, 0, answer, 60);
      await subject.storeCorruptEntry(bucketKey, 1);

      const read = await cache.readBucket(bucketKey, 2);
      assertSameAnswer(read[0], answer);
      assert.equal(read[1], null);
    });
  });
}
