import type { z } from 'zod';
import { nanoUsdToUsd } from '../pricing/compute-cost.js';
import { requestLogFieldsSchema } from '../request-log/request-log-record-schema.js';
import type { CacheGrouping } from './schemas/cache-stats-parameters.js';
import type { CacheStatsJson, CacheTotalsJson } from './schemas/cache-stats-json-schemas.js';

/** The fields of a logged request that the cache report adds up (a store reads only these). */
export const cacheSampleSchema = requestLogFieldsSchema.pick({
  id: true,
  createdAtMs: true,
  model: true,
  userId: true,
  properties: true,
  cacheStatus: true,
  savedNanoUsd: true,
  savedTotalTokens: true,
  savedLatencyMs: true,
});
export type CacheSample = z.output<typeof cacheSampleSchema>;

interface CacheTotals {
  hits: number;
  misses: number;
  unavailable: number;
  savedNanoUsd: number;
  /** Hits whose original had no known price: their saving is not in `savedNanoUsd`. */
  unpricedHits: number;
  savedTokens: number;
  savedLatencyMs: number;
}

const emptyTotals = (): CacheTotals => ({
  hits: 0,
  misses: 0,
  unavailable: 0,
  savedNanoUsd: 0,
  unpricedHits: 0,
  savedTokens: 0,
  savedLatencyMs: 0,
});

function add(totals: CacheTotals, sample: CacheSample): void {
  if (sample.cacheStatus === 'miss') totals.misses += 1;
  if (sample.cacheStatus === 'unavailable') totals.unavailable += 1;
  if (sample.cacheStatus !== 'hit') return;
  totals.hits += 1;
  if (sample.savedNanoUsd === null) totals.unpricedHits += 1;
  else totals.savedNanoUsd += sample.savedNanoUsd;
  totals.savedTokens += sample.savedTotalTokens ?? 0;
  totals.savedLatencyMs += sample.savedLatencyMs ?? 0;
}

function totalsJson(totals: CacheTotals): CacheTotalsJson {
  const lookups = totals.hits + totals.misses + totals.unavailable;
  return {
    hits: totals.hits,
    misses: totals.misses,
    unavailable: totals.unavailable,
    hitRate: lookups === 0 ? null : totals.hits / lookups,
    savedUsd: nanoUsdToUsd(totals.savedNanoUsd) ?? 0,
    unpricedHits: totals.unpricedHits,
    savedTokens: totals.savedTokens,
    savedLatencyMs: totals.savedLatencyMs,
  };
}

/** The value a sample is grouped under; null when it has none (no user, no such property). */
function groupValue(sample: CacheSample, grouping: CacheGrouping): string | null {
  if (grouping.by === 'model') return sample.model;
  if (grouping.by === 'user') return sample.userId;
  return sample.properties[grouping.property] ?? null;
}

/**
 * The cache report over requests that asked for the cache: hits, misses, lookups the cache could
 * not answer, the hit rate over all three, and what the hits saved; with `grouping`, the same per
 * value, most hits first (requests without a value under `null`).
 */
export function buildCacheStats(samples: Iterable<CacheSample>, grouping: CacheGrouping | null): Pick<CacheStatsJson, 'totals' | 'groups'> {
  const totals = emptyTotals();
  const groups = new Map<string | null, CacheTotals>();
  for (const sample of samples) {
    if (sample.cacheStatus === null) continue;
    add(totals, sample);
    if (!grouping) continue;
    const value = groupValue(sample, grouping);
    let group = groups.get(value);
    if (!group) groups.set(value, (group = emptyTotals()));
    add(group, sample);
  }
  return {
    totals: totalsJson(totals),
    groups: grouping
      ? [...groups]
          .sort(([a, x], [b, y]) => y.hits - x.hits || y.misses - x.misses || String(a).localeCompare(String(b)))
          .map(([value, group]) => ({ value, ...totalsJson(group) }))
      : null,
  };
}
