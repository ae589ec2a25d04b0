/**
 * The rollups table against DynamoDB Local: chunk writes move the shard checkpoint atomically with
 * the bucket additions (the whole of the aggregator's exactly-once promise rests on it), the
 * cardinality guard admits at most its limit, and reads find buckets by address and by group.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/adapters/dynamodb/document-client.js';
import { ROLLUP_CHUNK_LIMITS, RollupTable } from '../../../lambdas/adapters/dynamodb/rollup-table.js';
import { histogramQuantile } from '../../../lambdas/core/rollups/log-histogram.js';
import { addSampleToBucket, emptyRollupBucket } from '../../../lambdas/core/rollups/rollup-bucket.js';
import { bucketAddresses, planChunks, streamPosition, type BucketDelta } from '../../../lambdas/core/rollups/rollup-chunks.js';
import { rollupDimensions, type Dimension } from '../../../lambdas/core/rollups/rollup-dimensions.js';
import { bucketStartMs } from '../../../lambdas/core/rollups/rollup-resolution.js';
import { logRecord } from '../../support/request-log-records.js';
import { startDynamoDbLocalTables, type DynamoDbLocalTables } from './dynamodb-local-tables.js';

const RETENTION = { minute: 2, hour: 90, day: 730 };
const NOW = Date.parse('2026-12-01T10:30:00Z');

let dynamo: DynamoDbLocalTables;
let documents: DynamoDBDocumentClient;
let table: RollupTable;

before(async () => {
  dynamo = await startDynamoDbLocalTables();
  documents = createDocumentClient(dynamo.environment());
  table = new RollupTable(documents, dynamo.tables.rollups, RETENTION, () => NOW);
});

after(async () => {
  documents?.destroy();
  await dynamo?.stop();
});

function sample(id: string, fields: Parameters<typeof logRecord>[0] extends infer T ? Partial<T> : never = {}) {
  return logRecord({ id, createdAtMs: NOW, ...fields });
}

function valuesOf(s: ReturnType<typeof sample>): Map<Dimension, string | null> {
  return new Map<Dimension, string | null>([
    ['user', s.userId],
    ['model', s.model],
    ['provider', s.provider],
    ['key', s.keyName],
    ['property:environment', s.properties.environment ?? null],
  ]);
}

describe('RollupTable', () => {
  it('applies a chunk of as many bucket updates as a transaction holds, and moves the checkpoint with it', async () => {
    const records = Array.from({ length: 20 }, (_, i) => {
      const s = sample(`r${i}`, { userId: `user-${i % 7}`, latencyMs: 100 + i, properties: { environment: i % 7 < 3 ? 'prod' : 'dev' } });
      return { sequenceNumber: String(1000 + i), sample: s, values: valuesOf(s) };
    });
    const chunks = planChunks(records, null, ROLLUP_CHUNK_LIMITS);
    assert.ok(chunks.length > 1, 'the records need more than one transaction');
    assert.ok(chunks.every((chunk) => chunk.deltas.length <= ROLLUP_CHUNK_LIMITS.maxBuckets));
    let checkpoint: string | null = null;
    for (const chunk of chunks) {
      assert.equal(await table.applyChunk('shard-a', checkpoint, chunk.lastPosition, chunk.deltas), true);
      checkpoint = chunk.lastPosition;
    }
    assert.equal(await table.readCheckpoint('shard-a'), streamPosition('1019', 0));

    const [all] = await table.readBuckets([
      { time: { resolution: 'minute', startMs: bucketStartMs(NOW, 'minute') }, series: { dimensions: [], values: [] } },
    ]);
    assert.equal(all?.counts.requests, 20);
    assert.equal(all?.counts.costNanoUsd, 20_000);
    const p50 = histogramQuantile(all!.latency, 0.5)!;
    assert.ok(Math.abs(p50 - 109) <= 1.09, `p50 ${p50}`);
  });

  it('takes a transaction of the most bucket updates the chunk limits allow', async () => {
    const bucket = emptyRollupBucket();
    addSampleToBucket(bucket, sample('full'));
    const deltas: BucketDelta[] = Array.from({ length: ROLLUP_CHUNK_LIMITS.maxBuckets }, (_, i) => ({
      address: {
        time: { resolution: 'day', startMs: bucketStartMs(NOW, 'day') },
        series: { dimensions: ['property:n'], values: [String(i)] },
      },
      bucket,
    }));
    assert.equal(await table.applyChunk('shard-full', null, streamPosition('1', 0), deltas), true);
    const read = await table.readBuckets(deltas.map((delta) => delta.address));
    assert.ok(read.every((b) => b?.counts.requests === 1));
  });

  it('refuses a chunk whose expected checkpoint is stale, writing nothing', async () => {
    const s = sample('stale');
    const [chunk] = planChunks([{ sequenceNumber: '5', sample: s, values: valuesOf(s) }], null, ROLLUP_CHUNK_LIMITS);
    assert.equal(await table.applyChunk('shard-b', null, chunk!.lastPosition, chunk!.deltas), true);
    assert.equal(
      await table.applyChunk('shard-b', null, chunk!.lastPosition, chunk!.deltas),
      false,
      'a second delivery from the same start',
    );
    assert.equal(await table.applyChunk('shard-b', streamPosition('4', 0), chunk!.lastPosition, chunk!.deltas), false);
    const [bucket] = await table.readBuckets([bucketAddresses(s, valuesOf(s))[0]!]);
    assert.ok(bucket);
  });

  it('admits at most the limit of values a day, keeps admitted values admitted, and refuses the rest', async () => {
    const first = await table.admitValues('user', '2026-12-01', ['a', 'b', 'c'], 4);
    assert.deepEqual([...first].sort(), ['a', 'b', 'c']);
    const second = await table.admitValues('user', '2026-12-01', ['a', 'd', 'e', 'f'], 4);
    assert.ok(second.has('a'));
    assert.equal([...second].filter((v) => v !== 'a').length, 1, 'one more fits under the limit of 4');
    const otherDay = await table.admitValues('user', '2026-12-02', ['e', 'f'], 4);
    assert.deepEqual([...otherDay].sort(), ['e', 'f'], 'each day has its own limit');
  });

  it('reads a split with a filter on either of its dimensions, and null values as their own group', async () => {
    const dims = rollupDimensions(['environment']);
    assert.ok(dims.includes('property:environment'));
    const minute = { resolution: 'minute' as const, startMs: bucketStartMs(NOW, 'minute') };
    const byEnvironment = new Map<Dimension, string | null>([['property:environment', 'prod']]);
    const prodUsers = await table.readGroup(minute, ['property:environment', 'user'], byEnvironment);
    assert.deepEqual(prodUsers.map((g) => g.series.values[1]).sort(), ['user-0', 'user-1', 'user-2']);
    const user1 = await table.readGroup(minute, ['property:environment', 'user'], new Map([['user', 'user-1']]));
    assert.deepEqual(
      user1.map((g) => [g.series.values[0], g.bucket.counts.requests]),
      [['prod', 3]],
    );
    const bucket = emptyRollupBucket();
    addSampleToBucket(bucket, sample('nouser'));
    const delta: BucketDelta = { address: { time: minute, series: { dimensions: ['user'], values: [null] } }, bucket };
    await table.replaceBuckets([delta]);
    const noUser = await table.readGroup(minute, ['user'], new Map([['user', null]]));
    assert.equal(noUser.length, 1);
    assert.equal(noUser[0]!.series.values[0], null);
  });

  it('replaces a bucket whole, so writing the same rebuild twice leaves it as once', async () => {
    const time = { resolution: 'hour' as const, startMs: bucketStartMs(NOW, 'hour') - 3_600_000 };
    const bucket = emptyRollupBucket();
    addSampleToBucket(bucket, sample('x', { latencyMs: 250, ttftMs: 40 }));
    const delta: BucketDelta = { address: { time, series: { dimensions: ['model'], values: ['gpt-4o-mini'] } }, bucket };
    await table.replaceBuckets([delta]);
    await table.replaceBuckets([delta]);
    const [read] = await table.readBuckets([delta.address]);
    assert.deepEqual(read, bucket);
  });
});
