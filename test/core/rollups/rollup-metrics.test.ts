import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HISTOGRAM_RELATIVE_ACCURACY } from '../../../lambdas/core/rollups/log-histogram.js';
import { addSampleToBucket, emptyRollupBucket, type RollupBucket } from '../../../lambdas/core/rollups/rollup-bucket.js';
import { METRIC_NAMES, METRIC_UNITS } from '../../../lambdas/contract/metric-names.js';
import { metricValue } from '../../../lambdas/core/rollups/rollup-metrics.js';
import type { RequestLogRecord } from '../../../lambdas/core/request-log/request-log-record.js';
import { logRecord } from '../../support/request-log-records.js';

function bucketOf(records: RequestLogRecord[]): RollupBucket {
  const bucket = emptyRollupBucket();
  for (const record of records) addSampleToBucket(bucket, record);
  return bucket;
}

const within = (actual: number | null, expected: number) => {
  assert.ok(actual !== null, `expected about ${expected}, got null`);
  assert.ok(Math.abs(actual - expected) <= expected * HISTOGRAM_RELATIVE_ACCURACY, `${actual} is not within 1% of ${expected}`);
};

// Ten requests with latencies 100, 200, ... 1000 ms.
const tenRequests = Array.from({ length: 10 }, (_, i) =>
  logRecord({
    id: `r${i}`,
    createdAtMs: 1_000 + i,
    latencyMs: (i + 1) * 100,
    ttftMs: i < 4 ? (i + 1) * 10 : null,
    status: i === 9 ? 500 : i === 8 ? 429 : 200,
    outcome: i === 9 ? 'upstream_error' : i === 8 ? 'rejected' : 'completed',
    rateLimited: i === 8,
    costNanoUsd: i === 7 ? null : 250_000_000,
    unpriced: i === 7,
    promptTokens: 10,
    completionTokens: 5,
    totalTokens: 15,
    cacheStatus: i < 2 ? 'hit' : i < 5 ? 'miss' : i === 5 ? 'unavailable' : null,
    savedNanoUsd: i === 0 ? 40_000_000 : null,
  }),
);

describe('rollup metrics', () => {
  const bucket = bucketOf(tenRequests);

  it('counts requests, errors, rate-limited requests and tokens', () => {
    assert.equal(metricValue('requests', bucket), 10);
    assert.equal(metricValue('errors', bucket), 2);
    assert.equal(metricValue('rate_limited', bucket), 1);
    assert.equal(metricValue('tokens', bucket), 150);
    assert.equal(metricValue('prompt_tokens', bucket), 100);
    assert.equal(metricValue('completion_tokens', bucket), 50);
  });

  it('gives rates and shares in percent', () => {
    assert.equal(metricValue('error_rate', bucket), 20);
    assert.equal(metricValue('unpriced_share', bucket), 10);
    // Two hits of six lookups: the four requests that did not ask for the cache do not count.
    assert.equal(metricValue('cache_hit_rate', bucket), (2 / 6) * 100);
  });

  it('gives money in USD, the priced requests only', () => {
    assert.equal(metricValue('cost', bucket), 2.25);
    assert.equal(metricValue('saved_usd', bucket), 0.04);
  });

  it('gives latency percentiles within the histogram accuracy, and the exact mean', () => {
    within(metricValue('latency_p50', bucket), 500);
    within(metricValue('latency_p90', bucket), 900);
    within(metricValue('latency_p95', bucket), 900);
    within(metricValue('latency_p99', bucket), 900);
    assert.equal(metricValue('latency_avg', bucket), 550);
    within(metricValue('ttft_p50', bucket), 20);
    within(metricValue('ttft_p95', bucket), 30);
  });

  it('is null for every metric of an empty bucket', () => {
    for (const metric of METRIC_NAMES) assert.equal(metricValue(metric, emptyRollupBucket()), null, metric);
  });

  it('is null for TTFT without streams and for the hit rate without lookups', () => {
    const plain = bucketOf([logRecord({ id: 'a', createdAtMs: 1 })]);
    assert.equal(metricValue('ttft_p50', plain), null);
    assert.equal(metricValue('ttft_p95', plain), null);
    assert.equal(metricValue('cache_hit_rate', plain), null);
    assert.equal(metricValue('requests', plain), 1);
    assert.equal(metricValue('saved_usd', plain), 0);
  });

  it('has a unit for every metric', () => {
    assert.equal(METRIC_NAMES.length, 18);
    assert.deepEqual(new Set(Object.values(METRIC_UNITS)), new Set(['requests', 'percent', 'usd', 'tokens', 'ms']));
    assert.equal(METRIC_UNITS.error_rate, 'percent');
    assert.equal(METRIC_UNITS.cost, 'usd');
    assert.equal(METRIC_UNITS.latency_p95, 'ms');
    assert.equal(METRIC_UNITS.tokens, 'tokens');
    assert.equal(METRIC_UNITS.rate_limited, 'requests');
  });
});
