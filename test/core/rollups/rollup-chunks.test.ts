import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addressId,
  bucketAddresses,
  LAST_PART,
  planChunks,
  sequenceNumberOf,
  streamPosition,
  type SequencedSample,
} from '../../../lambdas/core/rollups/rollup-chunks.js';
import type { Dimension } from '../../../lambdas/core/rollups/rollup-dimensions.js';
import { seriesOfRequest } from '../../../lambdas/core/rollups/rollup-series.js';
import { logRecord } from '../../support/request-log-records.js';

const NOW = Date.parse('2026-12-01T10:30:15Z');

function record(sequenceNumber: string, dimensions = 2, latencyMs = 100): SequencedSample {
  const values = new Map<Dimension, string | null>([['user', `u${sequenceNumber}`]]);
  for (let i = 1; i < dimensions; i++) values.set(`property:p${i}`, 'v');
  return { sequenceNumber, sample: logRecord({ id: `r${sequenceNumber}`, createdAtMs: NOW, latencyMs }), values };
}

describe('series and bucket addresses', () => {
  it('counts a request in all traffic, each dimension and each pair, at each resolution', () => {
    const series = seriesOfRequest(
      new Map<Dimension, string | null>([
        ['user', 'alice'],
        ['model', 'gpt-4o'],
        ['property:env', null],
      ]),
    );
    assert.deepEqual(
      series.map((s) => `${s.dimensions.join('+')}=${JSON.stringify(s.values)}`),
      [
        '=[]',
        'model=["gpt-4o"]',
        'model+property:env=["gpt-4o",null]',
        'model+user=["gpt-4o","alice"]',
        'property:env=[null]',
        'property:env+user=[null,"alice"]',
        'user=["alice"]',
      ],
    );
    const addresses = bucketAddresses(record('1').sample, record('1').values);
    assert.equal(addresses.length, 3 * 4);
    assert.deepEqual(
      new Set(addresses.map((a) => a.time.startMs)),
      new Set([Date.parse('2026-12-01T10:30:00Z'), Date.parse('2026-12-01T10:00:00Z'), Date.parse('2026-12-01T00:00:00Z')]),
    );
  });
});

describe('stream positions', () => {
  it('order as the stream does, whatever the length of the sequence numbers', () => {
    assert.ok(streamPosition('99', 0) < streamPosition('100', 0));
    assert.ok(streamPosition('100', 0) < streamPosition('100', 1));
    assert.ok(streamPosition('100', LAST_PART) < streamPosition('101', 0));
    assert.equal(sequenceNumberOf(streamPosition('000123', 4)), '123');
    assert.throws(() => streamPosition('12a', 0), RangeError);
  });
});

describe('planChunks', () => {
  const limits = { maxBuckets: 10, maxBinsPerBucket: 150 };

  it('keeps every write within the limits and adds each request once', () => {
    const records = ['1', '2', '3', '4', '5'].map((n) => record(n));
    const chunks = planChunks(records, null, limits);
    assert.ok(chunks.every((chunk) => chunk.deltas.length <= limits.maxBuckets));
    const requests = chunks
      .flatMap((c) => c.deltas)
      .filter((d) => d.address.series.dimensions.length === 0 && d.address.time.resolution === 'day');
    assert.equal(
      requests.reduce((sum, d) => sum + d.bucket.counts.requests, 0),
      5,
    );
    assert.equal(chunks.at(-1)!.lastPosition, streamPosition('5', 1));
  });

  it('cuts a request with more buckets than a write holds into parts, and a checkpoint inside it skips only the parts applied', () => {
    const big = record('7', 4); // 1 + 4 + 6 series, 33 buckets: four parts of at most 10
    const all = planChunks([big], null, limits);
    assert.equal(all.length, 4);
    assert.deepEqual(
      all.map((c) => c.lastPosition),
      [0, 1, 2, 3].map((part) => streamPosition('7', part)),
    );
    const rest = planChunks([big, record('8')], streamPosition('7', 1), limits);
    assert.equal(rest[0]!.lastPosition, streamPosition('7', 2));
    // Parts 0 and 1 from the first delivery and the rest from the second: each bucket counted once.
    const applied = [...all.slice(0, 2), ...rest].flatMap((c) => c.deltas);
    const expected = [...bucketAddresses(big.sample, big.values), ...bucketAddresses(record('8').sample, record('8').values)];
    const perBucket = new Map<string, number>();
    for (const delta of applied)
      perBucket.set(addressId(delta.address), (perBucket.get(addressId(delta.address)) ?? 0) + delta.bucket.counts.requests);
    const expectedPerBucket = new Map<string, number>();
    for (const address of expected) expectedPerBucket.set(addressId(address), (expectedPerBucket.get(addressId(address)) ?? 0) + 1);
    assert.deepEqual(perBucket, expectedPerBucket);
  });

  it('plans nothing for records at or before the checkpoint', () => {
    assert.deepEqual(planChunks([record('1'), record('2')], streamPosition('2', LAST_PART), limits), []);
  });

  it('closes a write before a bucket would take more new bins than one update holds', () => {
    const records = Array.from({ length: 6 }, (_, i) => record(String(10 + i), 1, 10 ** (1 + i)));
    const chunks = planChunks(records, null, { maxBuckets: 99, maxBinsPerBucket: 3 });
    assert.ok(chunks.length >= 2);
    for (const chunk of chunks) for (const delta of chunk.deltas) assert.ok(delta.bucket.latency.size + delta.bucket.ttft.size <= 3);
  });
});
