import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCacheStats, type CacheSample } from '../../../lambdas/core/query/cache-stats.js';
import { cacheStatsParameters } from '../../../lambdas/core/query/schemas/cache-stats-parameters.js';

let n = 0;
function sample(overrides: Partial<CacheSample>): CacheSample {
  return {
    id: `r${++n}`,
    createdAtMs: 1,
    model: 'gpt-4o-mini',
    userId: 'alice',
    properties: {},
    cacheStatus: 'miss',
    savedNanoUsd: null,
    savedTotalTokens: null,
    savedLatencyMs: null,
    ...overrides,
  };
}

const hit = (overrides: Partial<CacheSample> = {}) =>
  sample({ cacheStatus: 'hit', savedNanoUsd: 2_500_000, savedTotalTokens: 100, savedLatencyMs: 900, ...overrides });

describe('buildCacheStats', () => {
  it('counts hits, misses and unavailable lookups, and adds up what the hits saved', () => {
    const stats = buildCacheStats(
      [hit(), hit({ savedNanoUsd: null }), sample({}), sample({ cacheStatus: 'unavailable' }), sample({ cacheStatus: null })],
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
    assert.equal(buildCacheStats([], null).totals.hitRate, null);
  });

  it('groups by model, user or property, most hits first, with a null group for requests without a value', () => {
    const samples = [
      hit({ model: 'a', userId: null, properties: { feature: 'chat' } }),
      hit({ model: 'b' }),
      hit({ model: 'b' }),
      sample({ model: 'a' }),
    ];
    const byModel = buildCacheStats(samples, { by: 'model' }).groups;
    assert.deepEqual(
      byModel?.map((g) => [g.value, g.hits, g.misses]),
      [
        ['b', 2, 0],
        ['a', 1, 1],
      ],
    );
    const byUser = buildCacheStats(samples, { by: 'user' }).groups;
    assert.deepEqual(
      byUser?.map((g) => [g.value, g.hits]),
      [
        ['alice', 2],
        [null, 1],
      ],
    );
    const byFeature = buildCacheStats(samples, { by: 'property', property: 'feature' }).groups;
    assert.deepEqual(
      byFeature?.map((g) => [g.value, g.hits, g.misses]),
      [
        [null, 2, 1],
        ['chat', 1, 0],
      ],
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
