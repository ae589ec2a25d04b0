import { REQUEST_BODIES_PREFIX } from '../contract/bucket-layout.js';
import { promisify } from 'node:util';
import { gzip as gzipCallback, gzipSync } from 'node:zlib';
import type { BodyStore } from '../core/ports/body-store.js';
import type { DeadLetterInbox } from '../core/ports/dead-letter-inbox.js';
import type { DeadLetterSink } from '../core/ports/dead-letter-sink.js';
import type { RequestLogStore } from '../core/ports/request-log-store.js';
import { encodeDeadLetter, type DeadLetter } from '../core/request-log/dead-letter-codec.js';
import { utcDay, type RequestLogRecord, type StoredBody } from '../core/request-log/request-log-record.js';
import type { RequestLogWrite } from '../core/request-log/request-log-write.js';

const gzipAsync = promisify(gzipCallback);

/**
 * Below this size a body is compressed on the spot: the thread-pool round trip of async gzip
 * costs several times the compression itself. Larger bodies go to the pool so they do not stall
 * other requests sharing the process.
 */
const SYNC_GZIP_MAX_BYTES = 64 * 1024;

/**
 * Below this size a body is stored as it is: gzip saves a few hundred bytes at most there, for
 * 49-88 µs of CPU per request measured on the request path (issue 8's profile).
 */
export const GZIP_MIN_BYTES = 1024;

function gzip(bytes: Uint8Array): Promise<Uint8Array> | Uint8Array {
  return bytes.length <= SYNC_GZIP_MAX_BYTES ? gzipSync(bytes) : gzipAsync(bytes);
}

async function storedBody(bytes: Uint8Array | null): Promise<StoredBody | null> {
  if (!bytes) return null;
  return bytes.length < GZIP_MIN_BYTES ? { raw: bytes } : { gzip: await gzip(bytes) };
}

export interface RequestLogRecorderDependencies {
  store: RequestLogStore;
  bodies: BodyStore;
  deadLetters: DeadLetterSink;
  /** Bodies up to this size as stored (raw or gzip) stay in the item; larger ones go to the bodies bucket. */
  inlineBodyMaxBytes: number;
  /**
   * Pauses between attempts of one write; one attempt more than there are delays. These are the
   * only retries: the adapters' SDK clients make one attempt per call, so the two do not multiply.
   */
  retryDelaysMs: readonly number[];
  logger: { warn(message: string, extra: Record<string, unknown>): void; error(message: string, extra: Record<string, unknown>): void };
  now(): number;
}

export interface CapturedBodies {
  request: Uint8Array | null;
  response: Uint8Array | null;
}

export interface ReplaySummary {
  stored: number;
  alreadyStored: number;
  failed: number;
}

/**
 * Writes request logs so that none is lost: bodies to the item or the bucket (placed once), then
 * the item, each with retries and backoff, and, when that still fails, the whole record to the
 * dead-letter path (SQS in AWS, a spool directory locally) for `npm run logs:replay`. Writes are
 * idempotent by request id, so a replay never stores a request twice.
 */
export class RequestLogRecorder {
  constructor(private readonly deps: RequestLogRecorderDependencies) {}

  /** Stores one request's log, and says how the write ended: stored, already there, dead-lettered, or lost. */
  async record(record: Omit<RequestLogRecord, 'requestBody' | 'responseBody'>, captured: CapturedBodies): Promise<RequestLogWrite> {
    const full: RequestLogRecord = {
      ...record,
      requestBody: await storedBody(captured.request),
      responseBody: await storedBody(captured.response),
    };
    let stored: boolean;
    try {
      stored = await this.store(full);
    } catch (error) {
      return this.deadLetter(full, error as Error);
    }
    if (!stored) {
      // Either a retry after a write whose answer was lost, or a client reusing Lookout-Request-Id:
      // the first request with the id keeps the log entry, and this one leaves a trace here.
      this.deps.logger.warn('a request log with this id already exists; this one was not stored', {
        requestId: full.id,
        status: full.status,
        createdAtMs: full.createdAtMs,
      });
    }
    return stored ? 'stored' : 'already_stored';
  }

  /** Stores every pending dead letter once, removing each one that is stored (or already was). */
  async replay(inbox: DeadLetterInbox): Promise<ReplaySummary> {
    const summary: ReplaySummary = { stored: 0, alreadyStored: 0, failed: 0 };
    for await (const pending of inbox.pending()) {
      try {
        const stored = await this.store(pending.letter().record);
        await pending.done();
        if (stored) summary.stored++;
        else summary.alreadyStored++;
      } catch (error) {
        summary.failed++;
        this.deps.logger.error('dead letter could not be replayed; it stays for the next replay', {
          source: pending.source,
          error: (error as Error).message,
        });
      }
    }
    return summary;
  }

  /**
   * Moves bodies too large for the item to the bucket, then writes the item. Each step is retried
   * on its own, so a failing item write does not upload the bodies again on every attempt.
   */
  private async store(record: RequestLogRecord): Promise<boolean> {
    const withBodies: RequestLogRecord = {
      ...record,
      requestBody: await this.withRetries(() => this.placeBody(record, 'request', record.requestBody)),
      responseBody: await this.withRetries(() => this.placeBody(record, 'response', record.responseBody)),
    };
    return this.withRetries(() => this.deps.store.putOnce(withBodies));
  }

  private async placeBody(record: RequestLogRecord, which: 'request' | 'response', body: StoredBody | null): Promise<StoredBody | null> {
    if (!body || 's3Key' in body) return body;
    const inline = 'raw' in body ? body.raw : body.gzip;
    if (inline.length <= this.deps.inlineBodyMaxBytes) return body;
    // Objects in the bucket are always gzip, so a raw body too large for the item is compressed now.
    const s3Key = `${REQUEST_BODIES_PREFIX}${utcDay(record.createdAtMs)}/${record.id}/${which}.gz`;
    await this.deps.bodies.put(s3Key, 'raw' in body ? await gzip(body.raw) : body.gzip);
    return { s3Key };
  }

  private async withRetries<T>(attempt: () => Promise<T>): Promise<T> {
    for (const delayMs of this.deps.retryDelaysMs) {
      try {
        return await attempt();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
    return attempt();
  }

  private async deadLetter(record: RequestLogRecord, cause: Error): Promise<RequestLogWrite> {
    const letter: DeadLetter = { record, reason: cause.message, failedAtMs: this.deps.now() };
    try {
      await this.deps.deadLetters.send(letter);
      this.deps.logger.warn('request log dead-lettered after retries', { requestId: record.id, error: cause.message });
      return 'dead_lettered';
    } catch (error) {
      // Last resort: the record goes to the function's log, from where it can still be recovered.
      this.deps.logger.error('request log lost to storage; full record follows', {
        requestId: record.id,
        error: (error as Error).message,
        deadLetter: encodeDeadLetter(letter),
      });
      return 'lost';
    }
  }
}
