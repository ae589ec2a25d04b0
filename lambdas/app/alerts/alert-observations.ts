import type { AlertFilter, AlertRule } from '../../contract/alert-rule.js';
import type { AlertContributor } from '../../core/alerts/alert-notification.js';
import type { RollupReader } from '../../core/ports/rollup-store.js';
import { tiledWindow } from '../../core/query/rollup-window.js';
import type { TimeWindow } from '../../core/query/time-window.js';
import type { RollupBucket } from '../../core/rollups/rollup-bucket.js';
import { propertyDimension, type Dimension } from '../../core/rollups/rollup-dimensions.js';
import { metricValue } from '../../core/rollups/rollup-metrics.js';
import { RESOLUTION_MS, type BucketTime, type RollupRetentionDays } from '../../core/rollups/rollup-resolution.js';
import { compareDimensions, MAX_SERIES_DIMENSIONS, seriesKey } from '../../core/rollups/rollup-series.js';
import { mergedBucket, mergedGroups } from '../query/rollup-group-reads.js';

/**
 * A forecast is not made from less than this share of its window: an hour of a day, a minute and a
 * half of an hour; an early projection of a few requests would fire on noise.
 */
const FORECAST_MIN_ELAPSED_SHARE = 1 / 24;
const TOP_CONTRIBUTORS = 5;

/**
 * How much a group adds to a breach: for a rate, the requests it counts (a user with one failed
 * request of one is not who broke the error rate; one with fifty failures is); else its value.
 */
function contribution(metric: AlertRule['metric'], bucket: RollupBucket): number {
  if (metric === 'error_rate' || metric === 'errors') return bucket.counts.errors;
  if (metric === 'unpriced_share') return bucket.counts.unpriced;
  if (metric === 'cache_hit_rate') return bucket.counts.cacheHits;
  return metricValue(metric, bucket) ?? -Infinity;
}

/** What a rule measured now: per group (one, `null`, for a rule without `groupBy`). */
export interface RuleObservation {
  group: { by: string; value: string | null } | null;
  value: number | null;
  requests: number;
  bucket: RollupBucket;
}

export interface RuleReading {
  window: TimeWindow;
  tiles: BucketTime[];
  observations: RuleObservation[];
}

/**
 * The window a rule watches now: the last `windowSeconds` on minute boundaries, the current
 * minute included (its requests so far); for a forecast, the calendar window so far (the UTC day
 * for a day), whose spend is projected to its end at the rate so far.
 */
export function ruleWindow(rule: Pick<AlertRule, 'windowSeconds' | 'forecast'>, nowMs: number): { window: TimeWindow; projection: number } {
  const windowMs = rule.windowSeconds * 1000;
  const toMs = Math.floor(nowMs / RESOLUTION_MS.minute) * RESOLUTION_MS.minute + RESOLUTION_MS.minute;
  if (!rule.forecast) return { window: { fromMs: toMs - windowMs, toMs }, projection: 1 };
  const fromMs = Math.floor(nowMs / windowMs) * windowMs;
  const elapsedMs = Math.max(nowMs - fromMs, windowMs * FORECAST_MIN_ELAPSED_SHARE);
  return { window: { fromMs, toMs }, projection: windowMs / elapsedMs };
}

/** The rule's filter as series dimensions and values. */
export function filterDimensions(filter: AlertFilter): Map<Dimension, string | null> {
  const fixed = new Map<Dimension, string | null>();
  if (filter.userId !== undefined) fixed.set('user', filter.userId);
  if (filter.model !== undefined) fixed.set('model', filter.model);
  if (filter.provider !== undefined) fixed.set('provider', filter.provider);
  if (filter.key !== undefined) fixed.set('key', filter.key);
  for (const [name, value] of Object.entries(filter.properties ?? {})) fixed.set(propertyDimension(name), value);
  return fixed;
}

/** Reads a rule's metric over its window from the rollups: a handful of bucket reads, whatever the traffic. */
export async function readRule(
  rule: AlertRule,
  rollups: RollupReader,
  retention: RollupRetentionDays,
  nowMs: number,
): Promise<RuleReading> {
  const { window, projection } = ruleWindow(rule, nowMs);
  const tiled = tiledWindow(window, nowMs, retention);
  const fixed = filterDimensions(rule.filter);
  const valueOf = (bucket: RollupBucket) => {
    const value = metricValue(rule.metric, bucket);
    return value === null || projection === 1 ? value : value * projection;
  };
  if (!rule.groupBy) {
    const addresses = tiled.tiles.map((time) => ({ time, series: seriesKey(fixed) }));
    const bucket = mergedBucket(await rollups.readBuckets(addresses));
    return { ...tiled, observations: [{ group: null, value: valueOf(bucket), requests: bucket.counts.requests, bucket }] };
  }
  const by = rule.groupBy as Dimension;
  const dimensions = [...new Set([...fixed.keys(), by])].sort(compareDimensions);
  const groups = await mergedGroups(rollups, tiled.tiles, dimensions, fixed, by);
  const observations = [...groups].map(([value, bucket]) => ({
    group: { by: rule.groupBy!, value },
    value: valueOf(bucket),
    requests: bucket.counts.requests,
    bucket,
  }));
  return { ...tiled, observations };
}

/**
 * The top contributors to a rule's metric in its window, within its filter and group, by user,
 * model and each indexed property: the first questions of an incident (who, which feature). A
 * dimension that would make a series of more than two dimensions with the filter is left out.
 */
export async function topContributors(
  rule: AlertRule,
  group: { by: string; value: string | null } | null,
  tiles: readonly BucketTime[],
  rollups: RollupReader,
  indexedProperties: readonly string[],
): Promise<{ by: string; top: AlertContributor[] }[]> {
  const fixed = filterDimensions(rule.filter);
  if (group) fixed.set(group.by as Dimension, group.value);
  const candidates: Dimension[] = ['user', 'model', ...indexedProperties.map(propertyDimension)];
  const contributors: { by: string; top: AlertContributor[] }[] = [];
  for (const by of candidates) {
    if (fixed.has(by) || fixed.size + 1 > MAX_SERIES_DIMENSIONS) continue;
    const dimensions = [...fixed.keys(), by].sort(compareDimensions);
    const groups = await mergedGroups(rollups, tiles, dimensions, fixed, by);
    const top = [...groups]
      .map(([value, bucket]) => ({ value, bucket }))
      .sort(
        (a, b) =>
          contribution(rule.metric, b.bucket) - contribution(rule.metric, a.bucket) || b.bucket.counts.requests - a.bucket.counts.requests,
      )
      .slice(0, TOP_CONTRIBUTORS)
      .map(({ value, bucket }) => ({ value, metricValue: metricValue(rule.metric, bucket), requests: bucket.counts.requests }));
    if (top.length > 0) contributors.push({ by, top });
  }
  return contributors;
}
