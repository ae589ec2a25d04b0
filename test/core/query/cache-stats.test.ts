import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCacheStats, cacheGroupingDimension } from '../../../lambdas/core/query/cache-stats.js';
import { cacheStatsParameters } from '../../../lambdas/core/query/schemas/cache-stats-parameters.js';
import { addSampleToBucket, emptyRollupBucket, type RollupBucket } from '../../../lambdas/core/rollups/rollup-bucket.js';
import type { RequestLogRecord } from '../../../lambdas/core/request-log/request-log-record.js';
import { logRecord } from '../../support/request-log-records.js';

let n = 0;
function sample(overrides: Partial<RequestLogRecord>): RequestLogRecord {
  return logRecord({ id: `r${++n}`, createdAtMs: 1, userId: 'alice', cacheStatus: 'miss', ...overrides });
}

const hit = (overrides: Partial<RequestLogRecord> = {}) =>
  sample({ cacheStatus: 'hit', savedNanoUsd: 2_500_000, savedTotalTokens: 100, savedLatencyMs: 900, ...overrides });

function bucketOf(records: readonly RequestLogRecord[]): RollupBucket {
  const bucket = emptyRollupBucket();
  for (const record of records) addSampleToBucket(bucket, record);
  return bucket;
}

function groupsOf(records: readonly RequestLogRecord[], value: (record: RequestLogRecord) => string | null) {
  const groups = new Map<string | null, RollupBucket>();
  for (const record of records) {
    const key = value(record);
    groups.set(key, bucketOf(records.filter((other) => value(other) === key)));
  }
  return groups;
}

describe('buildCacheStats', () => {
  it('counts hits, misses and unavailable lookups, and adds up what the hits saved', () => {
    const stats = buildCacheStats(
      bucketOf([hit(), hit({ savedNanoUsd: null }), sample({}), sample({ cacheStatus: 'unavailable' }), sample({ cacheStatus: null })]),
      null,
    );
    assert.deepEqual(stats.totals, {
      hits: 2,
      misses: 1,
      unavailable: 1,
      hitRate: 0.5,
      savedUsd: 0.0025,
      unpricedHits: 1,
      savedTokens: 200,
      savedLatencyMs: 1800,
    });
    assert.equal(stats.groups, null);
  });

  it('has no hit rate without lookups', () => {
    assert.equal(buildCacheStats(emptyRollupBucket(), null).totals.hitRate, null);
    assert.equal(buildCacheStats(bucketOf([sample({ cacheStatus: null })]), null).totals.hitRate, null);
  });

  it('groups most hits first, with a null group for requests without a value, leaving out values without lookups', () => {
    const samples = [
      hit({ model: 'a', userId: null, properties: { feature: 'chat' } }),
      hit({ model: 'b' }),
      hit({ model: 'b' }),
      sample({ model: 'a' }),
      sample({ model: 'c', cacheStatus: null }),
    ];
    const byModel = buildCacheStats(
      bucketOf(samples),
      groupsOf(samples, (r) => r.model),
    ).groups;
    assert.deepEqual(
      byModel?.map((g) => [g.value, g.hits, g.misses]),
      [
        ['b', 2, 0],
        ['a', 1, 1],
      ],
    );
    const byUser = buildCacheStats(
      bucketOf(samples),
      groupsOf(samples, (r) => r.userId),
    ).groups;
    assert.deepEqual(
      byUser?.map((g) => [g.value, g.hits]),
      [
        ['alice', 2],
        [null, 1],
      ],
    );
    const byFeature = buildCacheStats(
      bucketOf(samples),
      groupsOf(samples, (r) => r.properties.feature ?? null),
    ).groups;
    assert.deepEqual(
      byFeature?.map((g) => [g.value, g.hits, g.misses]),
      [
        [null, 2, 1],
        ['chat', 1, 0],
      ],
    );
  });
});

describe('cacheGroupingDimension', () => {
  it('splits by the model, the user or an indexed property, and refuses an unindexed one naming groupBy', () => {
    assert.equal(cacheGroupingDimension({ by: 'model' }, []), 'model');
    assert.equal(cacheGroupingDimension({ by: 'user' }, []), 'user');
    assert.equal(cacheGroupingDimension({ by: 'property', property: 'feature' }, ['feature']), 'property:feature');
    assert.throws(
      () => cacheGroupingDimension({ by: 'property', property: 'feature' }, ['team']),
      (error: Error & { status?: number }) =>
        error.status === 400 && error.message.startsWith('groupBy') && error.message.includes('indexedProperties'),
    );
  });
});

describe('cacheStatsParameters', () => {
  it('reads groupBy and refuses anything else by name', () => {
    assert.deepEqual(cacheStatsParameters.parse({ groupBy: 'property:Feature' }).groupBy, { by: 'property', property: 'feature' });
    assert.deepEqual(cacheStatsParameters.parse({ groupBy: 'model' }).groupBy, { by: 'model' });
    for (const bad of ['provider', 'property:', 'property:a b']) {
      const parsed = cacheStatsParameters.safeParse({ groupBy: bad });
      assert.equal(parsed.success, false);
      assert.match(parsed.error?.issues[0]?.message ?? '', /groupBy must be/);
    }
    assert.equal(cacheStatsParameters.safeParse({ group: 'model' }).success, false);
  });
});
