/**
 * The aggregator's exactly-once promise against DynamoDB Local: the rollups equal one count of
 * every logged request however Lambda delivers the stream, a batch twice, bisected halves after a
 * failure, the rest of a batch after a reported failure, or a whole batch again after the function
 * died having written part of it.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DeleteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/document-client.js';
import { bucketFromItem, seriesFromItem } from '../../lambdas/adapters/dynamodb/rollup-item.js';
import { ROLLUP_CHUNK_LIMITS, RollupTable } from '../../lambdas/adapters/dynamodb/rollup-table.js';
import { rollupSampleFromItem } from '../../lambdas/adapters/dynamodb/stream-record-image.js';
import { StreamAggregator } from '../../lambdas/app/rollups/stream-aggregator.js';
import { EnvironmentVariable } from '../../lambdas/contract/environment-variables.js';
import type { RollupWriter } from '../../lambdas/core/ports/rollup-store.js';
import { addSampleToBucket, emptyRollupBucket, type RollupBucket } from '../../lambdas/core/rollups/rollup-bucket.js';
import { addressId, bucketAddresses } from '../../lambdas/core/rollups/rollup-chunks.js';
import { dimensionValues, rollupDimensions } from '../../lambdas/core/rollups/rollup-dimensions.js';
import type { RequestLogRecord } from '../../lambdas/core/request-log/request-log-record.js';
import { createRollupAggregatorHandler } from '../../lambdas/handlers/rollup-aggregator.js';
import { startDynamoDbLocalTables, type DynamoDbLocalTables } from '../adapters/dynamodb/dynamodb-local-tables.js';
import { logRecord } from '../support/request-log-records.js';
import { rollupStreamEvent, streamed, type StreamedRecord } from '../support/rollup-stream-events.js';

const INDEXED = ['environment'];
const RETENTION = { minute: 2, hour: 90, day: 730 };
const silent = { warn() {}, error() {} };

let dynamo: DynamoDbLocalTables;
let documents: DynamoDBDocumentClient;

before(async () => {
  dynamo = await startDynamoDbLocalTables();
  documents = createDocumentClient(dynamo.environment());
});

after(async () => {
  documents?.destroy();
  await dynamo?.stop();
});

beforeEach(async () => {
  for (const item of await scanRollups())
    await documents.send(new DeleteCommand({ TableName: dynamo.tables.rollups, Key: { pk: item.pk, sk: item.sk } }));
});

async function scanRollups(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: dynamo.tables.rollups, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Every bucket in the table, by address. */
async function storedBuckets(): Promise<Map<string, RollupBucket>> {
  const buckets = new Map<string, RollupBucket>();
  for (const item of await scanRollups()) {
    const [resolutionCode, , startMs] = String(item.pk).split('|');
    const resolution = ({ m: 'minute', h: 'hour', d: 'day' } as const)[resolutionCode as 'm' | 'h' | 'd'];
    if (!resolution) continue;
    const time = { resolution, startMs: Number(startMs) };
    buckets.set(addressId({ time, series: seriesFromItem(item) }), bucketFromItem(item));
  }
  return buckets;
}

/** What the rollups must hold: each record counted once in each of its buckets. */
function countedOnce(records: readonly RequestLogRecord[]): Map<string, RollupBucket> {
  const expected = new Map<string, RollupBucket>();
  for (const record of records) {
    const sample = rollupSampleFromItem({ ...record });
    const values = dimensionValues(sample, rollupDimensions(INDEXED));
    for (const address of bucketAddresses(sample, values)) {
      const id = addressId(address);
      let bucket = expected.get(id);
      if (!bucket) expected.set(id, (bucket = emptyRollupBucket()));
      addSampleToBucket(bucket, sample);
    }
  }
  return expected;
}

/** A mixed workload of one minute and the next: users, models, an indexed property, errors, cancels, streams, cache hits. */
function workload(count: number): RequestLogRecord[] {
  const base = Date.now() - 120_000;
  return Array.from({ length: count }, (_, i) =>
    logRecord({
      id: `req-${i}`,
      createdAtMs: base + i * 1_000,
      userId: i % 5 === 0 ? null : `user-${i % 4}`,
      model: i % 3 === 0 ? 'claude-sonnet-4' : 'gpt-4o-mini',
      provider: i % 3 === 0 ? 'anthropic' : 'openai',
      status: i % 11 === 0 ? 500 : 200,
      outcome: i % 11 === 0 ? 'upstream_error' : i % 13 === 0 ? 'cancelled' : 'completed',
      stream: i % 2 === 0,
      ttftMs: i % 2 === 0 ? 20 + i : null,
      latencyMs: 50 + ((i * 37) % 900),
      cacheStatus: i % 7 === 0 ? 'hit' : i % 7 === 1 ? 'miss' : null,
      cacheHit: i % 7 === 0,
      savedNanoUsd: i % 7 === 0 ? 5_000 : null,
      properties: i % 4 === 0 ? {} : { environment: i % 2 ? 'production' : 'staging', feature: `f${i}` },
    }),
  );
}

function aggregatorOver(store: RollupWriter): StreamAggregator {
  return new StreamAggregator({ store, indexedProperties: INDEXED, maxValuesPerDay: 10_000, limits: ROLLUP_CHUNK_LIMITS, logger: silent });
}

function table(): RollupTable {
  return new RollupTable(documents, dynamo.tables.rollups, RETENTION);
}

/**
 * A store whose writes fail once they reach `failAt` (counted across the test), optionally after
 * the write landed: a timeout or a dying function that never heard DynamoDB's answer.
 */
class FailingWrites implements RollupWriter {
  writes = 0;
  constructor(
    private readonly inner: RollupTable,
    private readonly failAt: ReadonlySet<number>,
    private readonly afterLanding: boolean,
  ) {}
  readCheckpoint(shardId: string) {
    return this.inner.readCheckpoint(shardId);
  }
  admitValues(...args: Parameters<RollupWriter['admitValues']>) {
    return this.inner.admitValues(...args);
  }
  async applyChunk(...args: Parameters<RollupWriter['applyChunk']>) {
    this.writes += 1;
    if (!this.failAt.has(this.writes)) return this.inner.applyChunk(...args);
    if (this.afterLanding) await this.inner.applyChunk(...args);
    throw new Error('write failed');
  }
}

/** Lambda's delivery: a reported failure is retried from that record on; a thrown error bisects the batch. */
async function deliverLikeLambda(apply: (records: StreamedRecord[]) => Promise<string | null>, records: StreamedRecord[]): Promise<void> {
  let pending = records;
  for (let attempt = 0; pending.length > 0; attempt++) {
    assert.ok(attempt < 50, 'Lambda gives up on the batch');
    const failedFrom = await apply(pending);
    if (failedFrom === null) return;
    const index = pending.findIndex((r) => r.sequenceNumber === failedFrom);
    if (pending.length > 1 && index === 0) {
      // Bisect, as bisectBatchOnError does for a batch that fails from its start.
      const half = Math.ceil(pending.length / 2);
      await deliverLikeLambda(apply, pending.slice(0, half));
      pending = pending.slice(half);
      continue;
    }
    pending = pending.slice(index);
  }
}

describe('the rollup aggregator', () => {
  it('counts a batch delivered through the Lambda handler, and counts nothing again when it is delivered twice', async () => {
    const records = workload(60);
    const handler = createRollupAggregatorHandler({
      ...dynamo.environment(),
      [EnvironmentVariable.rollupsTable]: dynamo.tables.rollups,
      [EnvironmentVariable.runtimeConfig]: JSON.stringify({ providers: {}, indexedProperties: INDEXED }),
    });
    const event = rollupStreamEvent('shard-1', streamed(records));
    assert.deepEqual(await handler(event), { state: {}, batchItemFailures: [] });
    const once = await storedBuckets();
    assert.deepEqual(once, countedOnce(records));
    assert.deepEqual(await handler(event), { state: {}, batchItemFailures: [] });
    assert.deepEqual(await storedBuckets(), once);
  });

  it('stays exact when writes fail part-way and Lambda retries from the reported record and bisects', async () => {
    const records = workload(80);
    const store = new FailingWrites(table(), new Set([2, 3, 7]), false);
    const aggregator = aggregatorOver(store);
    await deliverLikeLambda((batch) => aggregator.applyBatch('shard-2', batch.map(sampleOf)), streamed(records));
    assert.ok(store.writes > 7, 'the failures happened');
    assert.deepEqual(await storedBuckets(), countedOnce(records));
  });

  it('stays exact when the function dies after a write landed and Lambda delivers the whole batch again, twice', async () => {
    const records = workload(80);
    const inner = table();
    const dying = new FailingWrites(inner, new Set([3]), true);
    await aggregatorOver(dying).applyBatch('shard-3', streamed(records).map(sampleOf));
    // A new instance, as after a crash: nothing remembered but what is in the table.
    await aggregatorOver(inner).applyBatch('shard-3', streamed(records).map(sampleOf));
    await aggregatorOver(inner).applyBatch('shard-3', streamed(records).slice(20).map(sampleOf));
    assert.deepEqual(await storedBuckets(), countedOnce(records));
  });

  it('keeps shards apart: the same sequence numbers on two shards are two sets of requests', async () => {
    const first = workload(10);
    const second = workload(10).map((record) => ({ ...record, id: `${record.id}-b` }));
    const aggregator = aggregatorOver(table());
    await aggregator.applyBatch('shard-a', streamed(first).map(sampleOf));
    await aggregator.applyBatch('shard-b', streamed(second).map(sampleOf));
    assert.deepEqual(await storedBuckets(), countedOnce([...first, ...second]));
  });
});

function sampleOf({ sequenceNumber, record }: StreamedRecord) {
  return { sequenceNumber, sample: rollupSampleFromItem({ ...record }) };
}
