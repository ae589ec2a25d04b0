import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { beforeEach, describe, it } from 'node:test';
import { RequestLogRecorder } from '../../lambdas/app/request-log-recorder.js';
import type { BodyStore } from '../../lambdas/core/ports/body-store.js';
import type { DeadLetterInbox, PendingDeadLetter } from '../../lambdas/core/ports/dead-letter-inbox.js';
import type { DeadLetterSink } from '../../lambdas/core/ports/dead-letter-sink.js';
import type { RequestLogStore } from '../../lambdas/core/ports/request-log-store.js';
import { decodeDeadLetter, encodeDeadLetter, type DeadLetter } from '../../lambdas/core/request-log/dead-letter-codec.js';
import type { RequestLogRecord, StoredBody } from '../../lambdas/core/request-log/request-log-record.js';
import { logRecord } from '../support/request-log-records.js';

/** The request-log table: stores each id once, and fails on demand. */
class InMemoryRequestLogStore implements RequestLogStore {
  readonly items = new Map<string, RequestLogRecord>();
  attempts = 0;
  /** How many of the next calls fail; Infinity for an outage. */
  failures = 0;

  async putOnce(record: RequestLogRecord): Promise<boolean> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('ProvisionedThroughputExceededException');
    }
    if (this.items.has(record.id)) return false;
    this.items.set(record.id, structuredClone(record));
    return true;
  }
}

class InMemoryBodyStore implements BodyStore {
  readonly objects = new Map<string, Uint8Array>();
  failures = 0;
  puts = 0;

  async put(key: string, gzipBytes: Uint8Array): Promise<void> {
    this.puts++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('S3 SlowDown');
    }
    this.objects.set(key, new Uint8Array(gzipBytes));
  }
}

/** A dead-letter queue that keeps letters as the encoded text a real one would carry. */
class InMemoryDeadLetterQueue implements DeadLetterSink, DeadLetterInbox {
  readonly messages = new Map<string, string>();
  private nextId = 0;
  failures = 0;
  doneCalls: string[] = [];

  async send(letter: DeadLetter): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('SQS unavailable');
    }
    this.messages.set(`msg-${this.nextId++}`, encodeDeadLetter(letter));
  }

  /** Puts raw text in the queue, as a damaged or foreign message would arrive. */
  putRaw(text: string): string {
    const id = `msg-${this.nextId++}`;
    this.messages.set(id, text);
    return id;
  }

  async *pending(): AsyncIterable<PendingDeadLetter> {
    for (const [id, text] of [...this.messages]) {
      yield {
        source: id,
        letter: () => decodeDeadLetter(text),
        done: async () => {
          this.doneCalls.push(id);
          this.messages.delete(id);
        },
      };
    }
  }

  letters(): DeadLetter[] {
    return [...this.messages.values()].map(decodeDeadLetter);
  }
}

interface LogLine {
  level: 'warn' | 'error';
  message: string;
  extra: Record<string, unknown>;
}

const NOW_MS = Date.UTC(2025, 2, 14, 9, 30, 0);
const INLINE_MAX = 256;

function baseRecord(id: string): Omit<RequestLogRecord, 'requestBody' | 'responseBody'> {
  const {
    requestBody: _request,
    responseBody: _response,
    ...record
  } = logRecord({
    id,
    createdAtMs: Date.UTC(2025, 2, 14, 9, 29, 58),
    latencyMs: 2000,
    costNanoUsd: 4_500,
    userId: 'alice',
    properties: { feature: 'chat' },
    keyName: 'checkout-app',
  });
  return record;
}

const smallRequest = Buffer.from('{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}');
const smallResponse = Buffer.from('{"id":"chatcmpl-1","choices":[{"message":{"content":"hello"}}]}');
// Random bytes do not compress, so their gzip is well over INLINE_MAX.
const largeResponse = randomBytes(4096);

/** The text of an inline body, whichever way it was stored. */
function inlineText(body: StoredBody | null): string {
  assert.ok(body && !('s3Key' in body), `expected an inline body, got ${JSON.stringify(body)}`);
  return ('raw' in body ? Buffer.from(body.raw) : gunzipSync(body.gzip)).toString('latin1');
}

describe('RequestLogRecorder', () => {
  let store: InMemoryRequestLogStore;
  let bodies: InMemoryBodyStore;
  let queue: InMemoryDeadLetterQueue;
  let logs: LogLine[];
  let recorder: RequestLogRecorder;

  beforeEach(() => {
    store = new InMemoryRequestLogStore();
    bodies = new InMemoryBodyStore();
    queue = new InMemoryDeadLetterQueue();
    logs = [];
    recorder = new RequestLogRecorder({
      store,
      bodies,
      deadLetters: queue,
      inlineBodyMaxBytes: INLINE_MAX,
      retryDelaysMs: [0, 0],
      logger: {
        warn: (message, extra) => logs.push({ level: 'warn', message, extra }),
        error: (message, extra) => logs.push({ level: 'error', message, extra }),
      },
      now: () => NOW_MS,
    });
  });

  describe('record', () => {
    it('stores the record with its small bodies inline', async () => {
      assert.equal(await recorder.record(baseRecord('req-1'), { request: smallRequest, response: smallResponse }), 'stored');
      const stored = store.items.get('req-1');
      assert.ok(stored);
      assert.deepEqual(
        { ...stored, requestBody: null, responseBody: null },
        { ...baseRecord('req-1'), requestBody: null, responseBody: null },
      );
      assert.equal(inlineText(stored.requestBody), smallRequest.toString('latin1'));
      assert.equal(inlineText(stored.responseBody), smallResponse.toString('latin1'));
      assert.equal(bodies.objects.size, 0);
      assert.equal(queue.messages.size, 0);
      assert.deepEqual(logs, []);
    });

    it('stores bodies under 1 KiB as they are, and gzips larger ones', async () => {
      const compressible = Buffer.from(`{"content":"${'la '.repeat(400)}"}`);
      await recorder.record(baseRecord('req-sizes'), { request: smallRequest, response: compressible });
      const stored = store.items.get('req-sizes');
      assert.deepEqual(stored?.requestBody, { raw: new Uint8Array(smallRequest) }, 'a small body skips gzip');
      assert.ok(stored?.responseBody && 'gzip' in stored.responseBody, 'a body of 1 KiB or more is gzipped');
      assert.ok(stored.responseBody.gzip.length < compressible.length);
      assert.equal(inlineText(stored.responseBody), compressible.toString('latin1'));
    });

    it('moves a raw body over a small inline limit to the body store as gzip', async () => {
      const tight = new RequestLogRecorder({
        store,
        bodies,
        deadLetters: queue,
        inlineBodyMaxBytes: 16,
        retryDelaysMs: [],
        logger: console,
        now: () => NOW_MS,
      });
      await tight.record(baseRecord('req-tight'), { request: smallRequest, response: null });
      assert.deepEqual(store.items.get('req-tight')?.requestBody, { s3Key: 'bodies/2025-03-14/req-tight/request.gz' });
      assert.deepEqual(gunzipSync(bodies.objects.get('bodies/2025-03-14/req-tight/request.gz')!), smallRequest);
    });

    it('stores null bodies when there were none (omitted or empty)', async () => {
      await recorder.record(baseRecord('req-2'), { request: null, response: null });
      const stored = store.items.get('req-2');
      assert.equal(stored?.requestBody, null);
      assert.equal(stored?.responseBody, null);
    });

    it('moves a body whose gzip is over the inline limit to the body store and keeps its key', async () => {
      await recorder.record(baseRecord('req-big'), { request: smallRequest, response: largeResponse });
      const stored = store.items.get('req-big');
      assert.ok(stored);
      assert.equal(inlineText(stored.requestBody), smallRequest.toString('latin1'), 'the small body stays inline');
      assert.deepEqual(stored.responseBody, { s3Key: 'bodies/2025-03-14/req-big/response.gz' });
      const object = bodies.objects.get('bodies/2025-03-14/req-big/response.gz');
      assert.ok(object, 'the large body is in the body store');
      assert.deepEqual(gunzipSync(object), largeResponse);
    });

    it('retries a store that fails for a moment, then stores once', async () => {
      store.failures = 2;
      await recorder.record(baseRecord('req-retry'), { request: smallRequest, response: null });
      assert.equal(store.attempts, 3);
      assert.ok(store.items.has('req-retry'));
      assert.equal(queue.messages.size, 0);
      assert.deepEqual(logs, []);
    });

    it('keeps the first log for a reused request id and leaves a warning for the second', async () => {
      assert.equal(await recorder.record(baseRecord('req-reused'), { request: null, response: null }), 'stored');
      assert.equal(
        await recorder.record({ ...baseRecord('req-reused'), status: 500 }, { request: null, response: null }),
        'already_stored',
      );
      assert.equal(store.items.get('req-reused')?.status, 200);
      assert.equal(logs.length, 1);
      assert.equal(logs[0]!.level, 'warn');
      assert.equal(logs[0]!.extra.requestId, 'req-reused');
      assert.equal(logs[0]!.extra.status, 500);
    });

    it('uploads a large body once while it retries the item write', async () => {
      store.failures = 2;
      await recorder.record(baseRecord('req-big-retry'), { request: null, response: largeResponse });
      assert.equal(store.attempts, 3);
      assert.equal(bodies.puts, 1);
      assert.deepEqual(store.items.get('req-big-retry')?.responseBody, { s3Key: 'bodies/2025-03-14/req-big-retry/response.gz' });
    });

    it('retries a failing body store too', async () => {
      bodies.failures = 1;
      await recorder.record(baseRecord('req-s3'), { request: null, response: largeResponse });
      assert.deepEqual(store.items.get('req-s3')?.responseBody, { s3Key: 'bodies/2025-03-14/req-s3/response.gz' });
      assert.equal(queue.messages.size, 0);
    });

    it('dead-letters the whole record, bodies included, when the store keeps failing', async () => {
      store.failures = Infinity;
      assert.equal(await recorder.record(baseRecord('req-dead'), { request: smallRequest, response: largeResponse }), 'dead_lettered');

      assert.equal(store.attempts, 3, 'one attempt more than there are delays');
      assert.equal(store.items.size, 0);
      const [letter, ...others] = queue.letters();
      assert.ok(letter);
      assert.deepEqual(others, []);
      assert.equal(letter.reason, 'ProvisionedThroughputExceededException');
      assert.equal(letter.failedAtMs, NOW_MS);
      const { requestBody, responseBody, ...fields } = letter.record;
      assert.deepEqual(fields, baseRecord('req-dead'));
      // The letter carries the bodies themselves, not keys that may point at nothing.
      assert.equal(inlineText(requestBody), smallRequest.toString('latin1'));
      assert.equal(inlineText(responseBody), largeResponse.toString('latin1'));

      const warning = logs.find((line) => line.level === 'warn');
      assert.equal(warning?.extra.requestId, 'req-dead');
    });

    it('dead-letters when the body store keeps failing', async () => {
      bodies.failures = Infinity;
      await recorder.record(baseRecord('req-s3-down'), { request: null, response: largeResponse });
      assert.equal(store.items.size, 0);
      const [letter] = queue.letters();
      assert.equal(letter?.reason, 'S3 SlowDown');
      assert.equal(inlineText(letter!.record.responseBody), largeResponse.toString('latin1'));
    });

    it('writes the full encoded record to the log when the dead-letter path fails too', async () => {
      store.failures = Infinity;
      queue.failures = 1;
      assert.equal(await recorder.record(baseRecord('req-lost'), { request: smallRequest, response: smallResponse }), 'lost');

      assert.equal(queue.messages.size, 0);
      const error = logs.find((line) => line.level === 'error');
      assert.ok(error, 'an error line is logged');
      assert.equal(error.extra.requestId, 'req-lost');
      assert.equal(typeof error.extra.deadLetter, 'string');
      const recovered = decodeDeadLetter(error.extra.deadLetter as string);
      const { requestBody, responseBody, ...fields } = recovered.record;
      assert.deepEqual(fields, baseRecord('req-lost'));
      assert.equal(inlineText(requestBody), smallRequest.toString('latin1'));
      assert.equal(inlineText(responseBody), smallResponse.toString('latin1'));
    });

    it('never rejects, whatever fails', async () => {
      store.failures = Infinity;
      bodies.failures = Infinity;
      queue.failures = Infinity;
      assert.equal(await recorder.record(baseRecord('req-all-down'), { request: smallRequest, response: largeResponse }), 'lost');
    });
  });

  describe('replay', () => {
    async function deadLetter(id: string, response: Buffer | null = smallResponse): Promise<void> {
      const failures = store.failures;
      store.failures = Infinity;
      await recorder.record(baseRecord(id), { request: smallRequest, response });
      store.failures = failures;
    }

    it('stores each pending letter and removes it', async () => {
      await deadLetter('req-a');
      await deadLetter('req-b', largeResponse);
      store.attempts = 0;

      const summary = await recorder.replay(queue);

      assert.deepEqual(summary, { stored: 2, alreadyStored: 0, failed: 0 });
      assert.equal(queue.messages.size, 0);
      assert.equal(inlineText(store.items.get('req-a')!.responseBody), smallResponse.toString('latin1'));
      // A large body goes to the bucket on replay, as it would have on the first write.
      assert.deepEqual(store.items.get('req-b')!.responseBody, { s3Key: 'bodies/2025-03-14/req-b/response.gz' });
      assert.deepEqual(gunzipSync(bodies.objects.get('bodies/2025-03-14/req-b/response.gz')!), largeResponse);
    });

    it('counts letters whose record is already stored, and removes them (idempotent)', async () => {
      await deadLetter('req-dup');
      await recorder.replay(queue);
      // The same letter delivered again (SQS is at-least-once).
      await deadLetter('req-dup');

      const summary = await recorder.replay(queue);

      assert.deepEqual(summary, { stored: 0, alreadyStored: 1, failed: 0 });
      assert.equal(queue.messages.size, 0);
      assert.equal(store.items.size, 1);
    });

    it('keeps a letter it cannot store for the next replay, and carries on with the rest', async () => {
      await deadLetter('req-1');
      await deadLetter('req-2');
      const [first] = [...queue.messages.keys()];
      store.failures = 3; // every attempt for the first letter fails

      const summary = await recorder.replay(queue);

      assert.deepEqual(summary, { stored: 1, alreadyStored: 0, failed: 1 });
      assert.deepEqual([...queue.messages.keys()], [first], 'the failed letter stays');
      assert.ok(!queue.doneCalls.includes(first!), 'done() is not called for a failed letter');
      assert.ok(store.items.has('req-2'));
      const error = logs.find((line) => line.level === 'error' && line.extra.source === first);
      assert.ok(error, 'the failure is logged with its source');

      // Once the store is back, the next replay stores it.
      assert.deepEqual(await recorder.replay(queue), { stored: 1, alreadyStored: 0, failed: 0 });
      assert.equal(queue.messages.size, 0);
    });

    it('retries a letter before giving up on it', async () => {
      await deadLetter('req-flaky');
      store.failures = 2;
      assert.deepEqual(await recorder.replay(queue), { stored: 1, alreadyStored: 0, failed: 0 });
    });

    it('keeps a message that is not a dead letter, counting it as failed', async () => {
      const garbage = queue.putRaw('this is not JSON');
      await deadLetter('req-ok');

      const summary = await recorder.replay(queue);

      assert.deepEqual(summary, { stored: 1, alreadyStored: 0, failed: 1 });
      assert.ok(queue.messages.has(garbage));
      assert.ok(store.items.has('req-ok'));
    });

    it('reports nothing to do for an empty inbox', async () => {
      assert.deepEqual(await recorder.replay(queue), { stored: 0, alreadyStored: 0, failed: 0 });
    });
  });
});
