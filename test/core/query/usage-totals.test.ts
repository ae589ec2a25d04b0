import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addUsageSample, bucketUsageJson, emptyUsageTotals, topUsers, usageTotalsJson } from '../../../lambdas/core/query/usage-totals.js';
import { addSampleToBucket, emptyRollupBucket, type RollupBucket } from '../../../lambdas/core/rollups/rollup-bucket.js';
import type { RequestLogRecord } from '../../../lambdas/core/request-log/request-log-record.js';
import { logRecord } from '../../support/request-log-records.js';

describe('usage totals', () => {
  it('sums tokens and integer nano-USD, converting to USD once at the end', () => {
    const totals = emptyUsageTotals();
    // 0.1 + 0.2 in floating point is 0.30000000000000004; in nano-USD it is exact.
    addUsageSample(
      totals,
      logRecord({
        id: 'a',
        createdAtMs: 1,
        costNanoUsd: 100_000_000,
        promptTokens: 10,
        completionTokens: 2,
        cachedTokens: 4,
        totalTokens: 12,
      }),
    );
    addUsageSample(
      totals,
      logRecord({
        id: 'b',
        createdAtMs: 2,
        costNanoUsd: 200_000_000,
        promptTokens: 20,
        completionTokens: 3,
        cachedTokens: 0,
        totalTokens: 23,
      }),
    );
    assert.deepEqual(usageTotalsJson(totals), {
      requests: 2,
      errors: 0,
      promptTokens: 30,
      completionTokens: 5,
      cachedTokens: 4,
      totalTokens: 35,
      costUsd: 0.3,
      unpricedRequests: 0,
      rateLimitedRequests: 0,
    });
  });

  it('counts unpriced requests instead of adding them as $0', () => {
    const totals = emptyUsageTotals();
    addUsageSample(totals, logRecord({ id: 'a', createdAtMs: 1, costNanoUsd: 5_000 }));
    addUsageSample(totals, logRecord({ id: 'b', createdAtMs: 2, model: 'mystery-1', costNanoUsd: null, unpriced: true }));
    const json = usageTotalsJson(totals);
    assert.equal(json.costUsd, 0.000005);
    assert.equal(json.unpricedRequests, 1);
    assert.equal(json.requests, 2);
  });

  it('counts as errors non-2xx/3xx answers and 200s that did not complete', () => {
    const totals = emptyUsageTotals();
    addUsageSample(totals, logRecord({ id: 'ok', createdAtMs: 1 }));
    addUsageSample(totals, logRecord({ id: 'redirect', createdAtMs: 1, status: 302 }));
    addUsageSample(totals, logRecord({ id: '500', createdAtMs: 1, status: 500 }));
    addUsageSample(totals, logRecord({ id: 'cancelled', createdAtMs: 1, status: 200, outcome: 'cancelled' }));
    addUsageSample(
      totals,
      logRecord({ id: '429', createdAtMs: 1, status: 429, outcome: 'rejected', costNanoUsd: null, promptTokens: null, totalTokens: null }),
    );
    assert.equal(usageTotalsJson(totals).errors, 3);
  });
});

describe('bucketUsageJson', () => {
  it('gives a merged bucket the same totals the requests give', () => {
    const records = [
      logRecord({ id: 'a', createdAtMs: 1, costNanoUsd: 100_000_000, cachedTokens: 4 }),
      logRecord({ id: 'b', createdAtMs: 2, model: 'mystery-1', costNanoUsd: null, unpriced: true }),
      logRecord({ id: 'c', createdAtMs: 3, status: 429, outcome: 'rejected', rateLimited: true, costNanoUsd: null, totalTokens: null }),
      logRecord({ id: 'd', createdAtMs: 4, status: 200, outcome: 'cancelled', costNanoUsd: 200_000_000 }),
    ];
    const totals = emptyUsageTotals();
    const bucket = emptyRollupBucket();
    for (const record of records) {
      addUsageSample(totals, record);
      addSampleToBucket(bucket, record);
    }
    assert.deepEqual(bucketUsageJson(bucket), usageTotalsJson(totals));
    assert.deepEqual(bucketUsageJson(bucket), {
      requests: 4,
      errors: 2,
      promptTokens: 40,
      completionTokens: 20,
      cachedTokens: 4,
      totalTokens: 45,
      costUsd: 0.3,
      unpricedRequests: 1,
      rateLimitedRequests: 1,
    });
  });
});

describe('topUsers', () => {
  const byUser = new Map<string, RollupBucket>();
  const add = (id: string, userId: string, costNanoUsd: number | null, createdAtMs = 1, status = 200, into = byUser) => {
    let bucket = into.get(userId);
    if (!bucket) into.set(userId, (bucket = emptyRollupBucket()));
    const record: RequestLogRecord = logRecord({ id, createdAtMs, userId, costNanoUsd, unpriced: costNanoUsd === null, status });
    addSampleToBucket(bucket, record);
  };
  add('1', 'cheap', 10);
  add('2', 'dear', 500, 7);
  add('3', 'dear', 500, 3);
  add('4', 'tie-b', 10);
  add('5', 'tie-b', 0);
  add('6', 'tie-a', 10);
  add('7', 'tie-a', 0, 1, 500);
  add('8', 'unknown-prices', null, 1, 502);
  add('9', 'unknown-prices', null, 1, 503);

  it('ranks by cost, then requests, then id, by default', () => {
    const ranking = topUsers(byUser, 10);
    assert.deepEqual(
      ranking.map((row) => row.userId),
      ['dear', 'tie-a', 'tie-b', 'cheap', 'unknown-prices'],
      'unpriced requests are not in the cost',
    );
    assert.equal(ranking[0]!.costUsd, 0.000001);
    assert.equal(ranking[0]!.lastSeenAt, new Date(7).toISOString());
    assert.equal(ranking.at(-1)!.unpricedRequests, 2);
    assert.deepEqual(
      topUsers(byUser, 2, 'cost').map((row) => row.userId),
      ['dear', 'tie-a'],
    );
  });

  it('ranks by requests, then cost, then id', () => {
    assert.deepEqual(
      topUsers(byUser, 10, 'requests').map((row) => row.userId),
      ['dear', 'tie-a', 'tie-b', 'unknown-prices', 'cheap'],
    );
    const more = new Map([...byUser].map(([userId, bucket]) => [userId, structuredClone(bucket)]));
    add('10', 'cheap', 1, 1, 200, more);
    add('11', 'cheap', 1, 1, 200, more);
    assert.deepEqual(
      topUsers(more, 2, 'requests').map((row) => [row.userId, row.requests]),
      [
        ['cheap', 3],
        ['dear', 2],
      ],
    );
  });

  it('ranks by errors, then requests, then cost; users without errors still follow', () => {
    assert.deepEqual(
      topUsers(byUser, 10, 'errors').map((row) => [row.userId, row.errors]),
      [
        ['unknown-prices', 2],
        ['tie-a', 1],
        ['dear', 0],
        ['tie-b', 0],
        ['cheap', 0],
      ],
    );
  });
});
