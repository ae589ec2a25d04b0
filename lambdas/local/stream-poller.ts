import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type AttributeValue as SdkAttributeValue,
  type GetRecordsCommandOutput,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { utcDay } from '../core/request-log/request-log-record.js';
import type { RollupStreamEvent, RollupStreamResponse } from '../handlers/rollup-stream-event.js';

/*
 * The retry policy mirrors, in spirit, the CDK event source of the aggregator
 * (`lib/constructs/usage-rollups.ts`: ROLLUP_RETRY_ATTEMPTS, ROLLUP_BISECT_BATCH_ON_ERROR): a
 * failing batch is tried again a bounded number of times, then given up on. It does not bisect:
 * the aggregator names the first record it did not apply, which narrows the retry to where
 * bisection would end up, and a thrown error gets the whole batch again.
 */

/** Retries of a failing batch after its first try, as the event source's `retryAttempts`. */
export const STREAM_RETRY_ATTEMPTS = 10;
/** The wait before the first retry, doubled for each one after. */
export const STREAM_FIRST_BACKOFF_MS = 250;
/** The longest wait between two tries. */
export const STREAM_MAX_BACKOFF_MS = 10_000;

/** Lambda polls a shard four times a second; a slower poll would make local rollups lag AWS's. */
const DEFAULT_INTERVAL_MS = 250;
const LONGEST_INTERVAL_MS = 500;
const DEFAULT_BATCH_SIZE = 100;
/** The most records one GetRecords returns. */
const LARGEST_BATCH_SIZE = 1000;
/** How often the stream is described again for new shards (at once when a shard is drained or caughtUp() asks). */
const DESCRIBE_EVERY_MS = 10_000;
/** While DynamoDB Local cannot be read, one line per this long. */
const REPORT_FAILURES_EVERY_MS = 60_000;
/** The aggregator's event source has a 15-minute tumbling window (ROLLUP_TUMBLING_WINDOW). */
const TUMBLING_WINDOW_MS = 15 * 60_000;
/**
 * A request is logged once it has finished, up to the gateway Lambda's 15 minutes after it began,
 * so a given-up range of stream records may hold requests that began this much before the first.
 */
const LONGEST_REQUEST_MS = 15 * 60_000;
/** A stream record's creation time is rounded down (to the second in AWS, to the minute in DynamoDB Local). */
const CREATION_TIME_ROUNDING_MS = 60_000;
/** GetRecords errors a fresh iterator from the last handed-over position recovers from. */
const RENEW_ITERATOR_ERRORS = new Set(['ExpiredIteratorException', 'TrimmedDataAccessException']);

export interface StreamRetryPolicy {
  retryAttempts: number;
  firstBackoffMs: number;
  maxBackoffMs: number;
}

export interface StreamPollerOptions {
  /** DynamoDB Local's endpoint. */
  endpoint: string;
  tableName: string;
  handler(event: RollupStreamEvent): Promise<RollupStreamResponse>;
  /** Between polls of a shard that had nothing new; default 250, at most 500. */
  intervalMs?: number;
  /** Records per invocation, default 100, at most 1000. */
  batchSize?: number;
  /** Default: the STREAM_* constants. */
  retry?: StreamRetryPolicy;
  /** Default: standard error. */
  log?(message: string): void;
}

export interface StreamPoller {
  /**
   * Settles once every record written to the table before the call has been handed to the
   * handler and the handler succeeded (or the records were given up on). For tests and tools to
   * wait on a condition, never a sleep. Rejects if the poller is stopped first.
   */
  caughtUp(): Promise<void>;
  /** Stops polling and waits for an invocation in flight. */
  stop(): Promise<void>;
}

/**
 * `npm start`'s stand-in for Lambda's DynamoDB event source mapping (ParallelizationFactor 1, an
 * INSERT filter, batch item failures, a tumbling window): reads the table's stream from
 * TRIM_HORIZON and hands its new items to `handler` in the event Lambda gives the aggregator.
 * Rejects when the table cannot be described or has no stream.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!(intervalMs > 0 && intervalMs <= LONGEST_INTERVAL_MS)) throw new RangeError(`intervalMs must be in (0, ${LONGEST_INTERVAL_MS}]`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= LARGEST_BATCH_SIZE))
    throw new RangeError(`batchSize must be a whole number from 1 to ${LARGEST_BATCH_SIZE}`);
  const streamArn = await findStreamArn(options.endpoint, options.tableName);
  const loop = new StreamPollLoop({
    streams: new DynamoDBStreamsClient(localClientConfig(options.endpoint)),
    streamArn,
    tableName: options.tableName,
    handler: options.handler,
    intervalMs,
    batchSize,
    retry: options.retry ?? {
      retryAttempts: STREAM_RETRY_ATTEMPTS,
      firstBackoffMs: STREAM_FIRST_BACKOFF_MS,
      maxBackoffMs: STREAM_MAX_BACKOFF_MS,
    },
    log: options.log ?? ((message) => console.error(message)),
  });
  return { caughtUp: () => loop.caughtUp(), stop: () => loop.stop() };
}

function localClientConfig(endpoint: string) {
  // One attempt per call: the poll loop is the one layer that retries.
  return { endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 };
}

async function findStreamArn(endpoint: string, tableName: string): Promise<string> {
  const tables = new DynamoDBClient(localClientConfig(endpoint));
  try {
    const { Table } = await tables.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream`);
    return Table.LatestStreamArn;
  } finally {
    tables.destroy();
  }
}

/** Where a shard's next iterator starts: what has been handed over successfully decides it. */
type ShardPosition = { type: 'TRIM_HORIZON' } | { type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

interface ShardCursor {
  shardId: string;
  parentShardId: string | undefined;
  position: ShardPosition;
  /** Undefined until the next poll gets one from `position`. */
  iterator: string | undefined;
  /** Epoch ms before which the shard is not polled (an empty poll's interval, a retry's backoff). */
  notBeforeMs: number;
  /** The call number of the latest GetRecords that found nothing left to hand over. */
  caughtUpAsOf: number;
  /** The record a failing batch is retried from, and how many tries have failed there. */
  failure: { sequenceNumber: string; tries: number } | undefined;
}

/** A stream record as the handler gets it, with what the poller needs to know of it. */
interface PolledRecord {
  sequenceNumber: string;
  createdAtMs: number;
  lambdaRecord: DynamoDBRecord;
}

interface CaughtUpWaiter {
  mark: number;
  resolve(): void;
  reject(error: Error): void;
}

interface StreamPollLoopOptions {
  streams: DynamoDBStreamsClient;
  streamArn: string;
  tableName: string;
  handler(event: RollupStreamEvent): Promise<RollupStreamResponse>;
  intervalMs: number;
  batchSize: number;
  retry: StreamRetryPolicy;
  log(message: string): void;
}

/**
 * One loop polls every shard in turn: locally there is one process and (in DynamoDB Local) one
 * open shard, and a shard's batches are handed over one at a time, as with ParallelizationFactor 1.
 */
class StreamPollLoop {
  private readonly cursors = new Map<string, ShardCursor>();
  /** Closed shards read to their end; the stream lists them for another 24 hours. */
  private readonly drained = new Set<string>();
  private readonly waiters: CaughtUpWaiter[] = [];
  private readonly abort = new AbortController();
  private readonly running: Promise<void>;
  /** Every GetRecords, DescribeStream and caughtUp() takes the next number: "issued after the call" is a comparison. */
  private calls = 0;
  private describedAsOf = 0;
  private describeDueMs = 0;
  private lastFailureReportMs = Number.NEGATIVE_INFINITY;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: StreamPollLoopOptions) {
    this.running = this.run().catch((error) => options.log(`stream poller: stopped polling ${options.tableName}: ${describeError(error)}`));
  }

  caughtUp(): Promise<void> {
    if (this.stopping) return Promise.reject(new Error('the stream poller is stopped'));
    const mark = ++this.calls;
    // A shard made before the call may be one no describe has found yet.
    this.describeDueMs = 0;
    this.wake?.();
    return new Promise((resolve, reject) => this.waiters.push({ mark, resolve, reject }));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.wake?.();
    await this.running;
    this.options.streams.destroy();
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('the stream poller stopped before it caught up'));
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      if (Date.now() >= this.describeDueMs) await this.describe();
      for (const cursor of this.dueCursors()) {
        if (this.stopping) break;
        await this.poll(cursor);
      }
      this.settleWaiters();
      await this.sleep(this.msUntilNextPoll());
    }
  }

  /** Shards whose parent has been drained (or is no longer listed), in the order the stream lists them. */
  private readyCursors(): ShardCursor[] {
    return [...this.cursors.values()].filter((cursor) => !(cursor.parentShardId && this.cursors.has(cursor.parentShardId)));
  }

  private dueCursors(): ShardCursor[] {
    const now = Date.now();
    return this.readyCursors().filter((cursor) => cursor.notBeforeMs <= now);
  }

  private msUntilNextPoll(): number {
    const next = Math.min(this.describeDueMs, ...this.readyCursors().map((cursor) => cursor.notBeforeMs));
    return Math.max(0, next - Date.now());
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private async describe(): Promise<void> {
    const call = ++this.calls;
    this.describeDueMs = Date.now() + DESCRIBE_EVERY_MS;
    let shards: Shard[];
    try {
      shards = await listShards(this.options.streams, this.options.streamArn, this.abort.signal);
    } catch (error) {
      if (this.stopping) return;
      this.describeDueMs = Date.now() + this.options.intervalMs;
      this.reportReadFailure(error);
      return;
    }
    for (const shard of shards) {
      const shardId = shard.ShardId!;
      if (this.cursors.has(shardId) || this.drained.has(shardId)) continue;
      this.cursors.set(shardId, {
        shardId,
        parentShardId: shard.ParentShardId,
        position: { type: 'TRIM_HORIZON' },
        iterator: undefined,
        notBeforeMs: 0,
        caughtUpAsOf: 0,
        failure: undefined,
      });
    }
    this.describedAsOf = call;
  }

  private async poll(cursor: ShardCursor): Promise<void> {
    let call: number;
    let page: GetRecordsCommandOutput;
    try {
      cursor.iterator ??= await this.shardIterator(cursor);
      call = ++this.calls;
      page = await this.options.streams.send(new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: this.options.batchSize }), {
        abortSignal: this.abort.signal,
      });
    } catch (error) {
      this.readFailed(cursor, error);
      return;
    }
    if (this.stopping) return;
    const records = (page.Records ?? []).map((record) => polledRecord(record, this.options.streamArn));
    const batch = records.filter((record) => record.lambdaRecord.eventName === 'INSERT');
    const retryFrom = batch.length === 0 ? undefined : await this.invoke(cursor, batch);
    if (retryFrom === undefined) this.advance(cursor, records, page.NextShardIterator);
    else this.retryLater(cursor, batch, records, page.NextShardIterator, retryFrom);
    if (records.length === 0) cursor.caughtUpAsOf = call;
  }

  private async shardIterator(cursor: ShardCursor): Promise<string | undefined> {
    const { position } = cursor;
    const request = {
      StreamArn: this.options.streamArn,
      ShardId: cursor.shardId,
      ShardIteratorType: position.type,
      SequenceNumber: position.type === 'TRIM_HORIZON' ? undefined : position.sequenceNumber,
    };
    try {
      const { ShardIterator } = await this.options.streams.send(new GetShardIteratorCommand(request), { abortSignal: this.abort.signal });
      return ShardIterator;
    } catch (error) {
      if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
      this.options.log(
        `stream poller: the records of ${cursor.shardId} of ${this.options.tableName} from ${request.SequenceNumber} were trimmed ` +
          'from the stream (older than 24 hours) before they were handed over; reading on from the oldest it still holds',
      );
      cursor.position = { type: 'TRIM_HORIZON' };
      return this.shardIterator(cursor);
    }
  }

  private readFailed(cursor: ShardCursor, error: unknown): void {
    if (this.stopping) return;
    // A new iterator from the position costs one call and mends an expired, trimmed or unknown one.
    cursor.iterator = undefined;
    if (RENEW_ITERATOR_ERRORS.has((error as Error).name)) return;
    cursor.notBeforeMs = Date.now() + this.options.intervalMs;
    this.reportReadFailure(error);
  }

  /** The sequence number to retry from, or undefined when the handler took the whole batch. */
  private async invoke(cursor: ShardCursor, batch: PolledRecord[]): Promise<string | undefined> {
    try {
      const response = await this.options.handler(streamEvent(cursor.shardId, this.options.streamArn, batch, Date.now()));
      return firstFailedSequenceNumber(batch, response);
    } catch (error) {
      this.options.log(
        `stream poller: the handler failed on ${cursor.shardId} ${sequenceRange(batch)}: ${(error as Error)?.stack ?? error}`,
      );
      return batch[0]!.sequenceNumber;
    }
  }

  private advance(cursor: ShardCursor, records: PolledRecord[], next: string | undefined): void {
    const last = records.at(-1);
    if (last) cursor.position = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last.sequenceNumber };
    cursor.failure = undefined;
    if (!next) {
      // A closed shard read to its end: its children may go on now, and a describe finds them.
      this.cursors.delete(cursor.shardId);
      this.drained.add(cursor.shardId);
      this.describeDueMs = 0;
      return;
    }
    cursor.iterator = next;
    // A page with records may have more behind it; an empty one means the shard is at its tip.
    cursor.notBeforeMs = records.length > 0 ? 0 : Date.now() + this.options.intervalMs;
  }

  private retryLater(
    cursor: ShardCursor,
    batch: PolledRecord[],
    records: PolledRecord[],
    next: string | undefined,
    retryFrom: string,
  ): void {
    const tries = cursor.failure?.sequenceNumber === retryFrom ? cursor.failure.tries + 1 : 1;
    if (tries > this.options.retry.retryAttempts) {
      this.giveUp(cursor, batch.slice(batch.findIndex((record) => record.sequenceNumber === retryFrom)), tries);
      this.advance(cursor, records, next);
      return;
    }
    const { firstBackoffMs, maxBackoffMs } = this.options.retry;
    cursor.failure = { sequenceNumber: retryFrom, tries };
    cursor.position = { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: retryFrom };
    cursor.iterator = undefined;
    cursor.notBeforeMs = Date.now() + Math.min(firstBackoffMs * 2 ** (tries - 1), maxBackoffMs);
  }

  private giveUp(cursor: ShardCursor, skipped: PolledRecord[], tries: number): void {
    // The rebuild replaces whole UTC days, and only days that are over.
    const from = utcDay(skipped[0]!.createdAtMs - LONGEST_REQUEST_MS);
    const to = utcDay(skipped.at(-1)!.createdAtMs + CREATION_TIME_ROUNDING_MS);
    this.options.log(
      `stream poller: gave up on ${cursor.shardId} ${sequenceRange(skipped)} of ${this.options.tableName} after ${tries} tries; ` +
        `once ${to} is over, \`npm run rollups:rebuild -- --from ${from} --to ${to}\` rebuilds those days from the log`,
    );
  }

  private reportReadFailure(error: unknown): void {
    const now = Date.now();
    if (now - this.lastFailureReportMs < REPORT_FAILURES_EVERY_MS) return;
    this.lastFailureReportMs = now;
    this.options.log(
      `stream poller: cannot read the stream of ${this.options.tableName} (${describeError(error)}); ` +
        `retrying, and saying so at most once a minute`,
    );
  }

  private settleWaiters(): void {
    const cursors = [...this.cursors.values()];
    for (const waiter of [...this.waiters]) {
      if (this.describedAsOf < waiter.mark || cursors.some((cursor) => cursor.caughtUpAsOf < waiter.mark)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

async function listShards(streams: DynamoDBStreamsClient, streamArn: string, abortSignal: AbortSignal): Promise<Shard[]> {
  const shards: Shard[] = [];
  let exclusiveStartShardId: string | undefined;
  do {
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      { abortSignal },
    );
    shards.push(...(StreamDescription?.Shards ?? []));
    exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
  } while (exclusiveStartShardId);
  return shards;
}

/** The lowest failed record; Lambda takes a batch item failure it cannot place as the whole batch's. */
function firstFailedSequenceNumber(batch: PolledRecord[], response: RollupStreamResponse | undefined): string | undefined {
  const failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  if (failed.size === 0) return undefined;
  const sequenceNumbers = batch.map((record) => record.sequenceNumber);
  if ([...failed].some((identifier) => !sequenceNumbers.includes(identifier))) return sequenceNumbers[0];
  return sequenceNumbers.find((sequenceNumber) => failed.has(sequenceNumber));
}

function streamEvent(shardId: string, streamArn: string, batch: PolledRecord[], nowMs: number): RollupStreamEvent {
  const windowStartMs = Math.floor(nowMs / TUMBLING_WINDOW_MS) * TUMBLING_WINDOW_MS;
  return {
    Records: batch.map((record) => record.lambdaRecord),
    shardId,
    eventSourceARN: streamArn,
    window: { start: new Date(windowStartMs).toISOString(), end: new Date(windowStartMs + TUMBLING_WINDOW_MS).toISOString() },
    state: {},
    isFinalInvokeForWindow: false,
    isWindowTerminatedEarly: false,
  };
}

/** The record in Lambda's JSON shape: epoch seconds for the Date, base64 for the binary values. */
function polledRecord(record: _Record, streamArn: string): PolledRecord {
  const stream = record.dynamodb!;
  const createdAtMs = stream.ApproximateCreationDateTime!.getTime();
  return {
    sequenceNumber: stream.SequenceNumber!,
    createdAtMs,
    lambdaRecord: {
      eventID: record.eventID,
      eventName: record.eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: record.awsRegion,
      eventSourceARN: streamArn,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(createdAtMs / 1000),
        Keys: stream.Keys && lambdaImage(stream.Keys),
        NewImage: stream.NewImage && lambdaImage(stream.NewImage),
        SequenceNumber: stream.SequenceNumber,
        SizeBytes: stream.SizeBytes,
        StreamViewType: stream.StreamViewType,
      },
    },
  };
}

function lambdaImage(image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, lambdaAttributeValue(value)]));
}

function lambdaAttributeValue(value: SdkAttributeValue): AttributeValue {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: lambdaImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(lambdaAttributeValue) };
  // DynamoDB Local's stream gives an empty map (a request without properties) as a bare `{}`, which
  // the SDK passes on; Lambda's event says `{"M":{}}`, and `unmarshall` refuses a value with no type.
  if (Object.keys(value).length === 0) return { M: {} };
  // S, N, BOOL, NULL, SS and NS are the same in the SDK and in Lambda's JSON.
  return value as AttributeValue;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function sequenceRange(records: PolledRecord[]): string {
  return `records ${records[0]!.sequenceNumber}..${records.at(-1)!.sequenceNumber}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
