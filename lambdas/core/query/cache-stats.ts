import { nanoUsdToUsd } from '../pricing/compute-cost.js';
import type { RollupBucket } from '../rollups/rollup-bucket.js';
import type { Dimension } from '../rollups/rollup-dimensions.js';
import type { CacheGrouping } from './schemas/cache-stats-parameters.js';
import type { CacheStatsJson, CacheTotalsJson } from './schemas/cache-stats-json-schemas.js';
import { indexedPropertyDimension } from './series-dimensions.js';

/** The rollup dimension a cache grouping splits by; an unindexed property is a 400 naming `groupBy`. */
export function cacheGroupingDimension(grouping: CacheGrouping, indexedProperties: readonly string[]): Dimension {
  if (grouping.by !== 'property') return grouping.by;
  return indexedPropertyDimension('groupBy', grouping.property, indexedProperties);
}

function lookups(bucket: RollupBucket): number {
  return bucket.counts.cacheHits + bucket.counts.cacheMisses + bucket.counts.cacheUnavailable;
}

function totalsJson(bucket: RollupBucket): CacheTotalsJson {
  const { counts } = bucket;
  const total = lookups(bucket);
  return {
    hits: counts.cacheHits,
    misses: counts.cacheMisses,
    unavailable: counts.cacheUnavailable,
    hitRate: total === 0 ? null : counts.cacheHits / total,
    savedUsd: nanoUsdToUsd(counts.savedNanoUsd),
    unpricedHits: counts.cacheHitsUnpriced,
    savedTokens: counts.savedTokens,
    savedLatencyMs: counts.savedLatencyMs,
  };
}

/**
 * The cache report from rollup buckets merged over the window: hits, misses, lookups the cache
 * could not answer, the hit rate over all three, and what the hits saved. With `groups` (the
 * merged bucket of each value of a split), each value that looked the cache up is a group, most
 * hits first (requests without a value under `null`).
 */
export function buildCacheStats(
  totals: RollupBucket,
  groups: ReadonlyMap<string | null, RollupBucket> | null,
): Pick<CacheStatsJson, 'totals' | 'groups'> {
  return {
    totals: totalsJson(totals),
    groups: groups
      ? [...groups]
          .filter(([, bucket]) => lookups(bucket) > 0)
          .sort(
            ([a, x], [b, y]) =>
              y.counts.cacheHits - x.counts.cacheHits || y.counts.cacheMisses - x.counts.cacheMisses || String(a).localeCompare(String(b)),
          )
          .map(([value, bucket]) => ({ value, ...totalsJson(bucket) }))
      : null,
  };
}
