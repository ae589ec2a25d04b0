import type { RollupReader } from '../../core/ports/rollup-store.js';
import { invalidParameter } from '../../core/query/invalid-parameter.js';
import { alignWindow } from '../../core/query/rollup-window.js';
import type { MetricsJson } from '../../core/query/schemas/metrics-json-schemas.js';
import { intervalSeconds, type MetricsQuery } from '../../core/query/schemas/metrics-parameters.js';
import { DAY_MS, type TimeWindow } from '../../core/query/time-window.js';
import { addBucketInto, emptyRollupBucket, type RollupBucket } from '../../core/rollups/rollup-bucket.js';
import type { MetricName } from '../../contract/metric-names.js';
import { METRIC_UNITS } from '../../contract/metric-names.js';
import { metricValue } from '../../core/rollups/rollup-metrics.js';
import {
  finestKeptResolution,
  RESOLUTION_MS,
  RESOLUTIONS,
  type BucketTime,
  type Resolution,
  type RollupRetentionDays,
} from '../../core/rollups/rollup-resolution.js';
import { seriesKey } from '../../core/rollups/rollup-series.js';
import { readGroupsAt } from './rollup-group-reads.js';

/** The most points one answer has: a chart's width, and a bound on the buckets one call reads per series. */
export const MAX_METRIC_POINTS = 1_500;

const HOUR_MS = 3_600_000;

/** What a metrics report reads: bucket times at one resolution, over a window on its boundaries. */
export interface MetricsPlan {
  window: TimeWindow;
  resolution: Resolution;
  times: BucketTime[];
}

/** The interval a range gets when none is asked for: up to 6 hours by minute, up to 8 days by hour, else by day. */
export function defaultInterval(rangeMs: number): Resolution {
  return rangeMs <= 6 * HOUR_MS ? 'minute' : rangeMs <= 8 * DAY_MS ? 'hour' : 'day';
}

/**
 * The buckets a query reads. `to` defaults to now and `from` to a day before `to`; the bucket
 * size is the interval, or the finest still kept at `from` when that is coarser (minute buckets
 * last days, hour buckets months), and the window goes out to its boundaries.
 */
export function planMetrics(query: MetricsQuery, nowMs: number, retention: RollupRetentionDays): MetricsPlan {
  const toMs = query.explicitWindow.toMs ?? nowMs;
  const fromMs = query.explicitWindow.fromMs ?? toMs - DAY_MS;
  const requested = query.interval ?? defaultInterval(toMs - fromMs);
  const kept = finestKeptResolution(fromMs, nowMs, retention);
  if (kept === null) {
    const oldest = new Date(nowMs - retention.day * DAY_MS).toISOString();
    throw invalidParameter(
      `from is before the oldest rollups kept (day buckets are kept ${retention.day} days): use a from after ${oldest}`,
    );
  }
  const resolution = RESOLUTIONS.indexOf(kept) > RESOLUTIONS.indexOf(requested) ? kept : requested;
  const window = alignWindow({ fromMs, toMs }, resolution);
  const size = RESOLUTION_MS[resolution];
  const points = (window.toMs - window.fromMs) / size;
  if (points > MAX_METRIC_POINTS) {
    const larger = RESOLUTIONS.find((candidate) => (window.toMs - window.fromMs) / RESOLUTION_MS[candidate] <= MAX_METRIC_POINTS);
    throw invalidParameter(
      `interval: ${points} points of ${intervalSeconds(resolution)} s from ${new Date(window.fromMs).toISOString()} to ` +
        `${new Date(window.toMs).toISOString()} are more than the ${MAX_METRIC_POINTS} one answer holds; ` +
        (larger ? `use interval=${intervalSeconds(larger)}, or a shorter range` : 'use a shorter range'),
    );
  }
  const times = Array.from({ length: points }, (_, index) => ({ resolution, startMs: window.fromMs + index * size }));
  return { window, resolution, times };
}

/**
 * `GET /v1/metrics` from the rollups alone: without groupBy, the filters' series read bucket by
 * bucket; with it, each point's group of series (one read per point), split by the groupBy value
 * and ranked by the metric's total, which comes from all of a group's buckets merged, never from
 * its points.
 */
export async function buildMetricsReport(
  query: MetricsQuery,
  rollups: RollupReader,
  retention: RollupRetentionDays,
  nowMs: number,
): Promise<MetricsJson> {
  const plan = planMetrics(query, nowMs, retention);
  let series: SeriesJson[];
  if (query.groupBy === null) {
    const key = seriesKey(query.filters);
    const buckets = await rollups.readBuckets(plan.times.map((time) => ({ time, series: key })));
    series = [seriesJson(query.metric, null, plan.times, buckets)];
  } else {
    const index = query.dimensions.indexOf(query.groupBy);
    const byGroup = new Map<string | null, (RollupBucket | null)[]>();
    const groups = await readGroupsAt(rollups, plan.times, query.dimensions, query.filters);
    groups.forEach((group, point) => {
      for (const { series: key, bucket } of group) {
        const value = key.values[index] ?? null;
        let buckets = byGroup.get(value);
        if (!buckets) byGroup.set(value, (buckets = new Array<RollupBucket | null>(plan.times.length).fill(null)));
        buckets[point] = bucket;
      }
    });
    series = [...byGroup]
      .map(([group, buckets]) => seriesJson(query.metric, group, plan.times, buckets))
      .sort(byTotal)
      .slice(0, query.limit);
  }
  return {
    metric: query.metric,
    unit: METRIC_UNITS[query.metric],
    from: new Date(plan.window.fromMs).toISOString(),
    to: new Date(plan.window.toMs).toISOString(),
    interval: intervalSeconds(plan.resolution),
    resolution: intervalSeconds(plan.resolution),
    series,
  };
}

type SeriesJson = MetricsJson['series'][number];

function seriesJson(
  metric: MetricName,
  group: string | null,
  times: readonly BucketTime[],
  buckets: readonly (RollupBucket | null)[],
): SeriesJson {
  const merged = emptyRollupBucket();
  for (const bucket of buckets) if (bucket) addBucketInto(merged, bucket);
  return {
    group,
    total: metricValue(metric, merged),
    requests: merged.counts.requests,
    points: times.map((time, index) => {
      const bucket = buckets[index] ?? null;
      return {
        t: new Date(time.startMs).toISOString(),
        value: bucket ? metricValue(metric, bucket) : null,
        requests: bucket?.counts.requests ?? 0,
      };
    }),
  };
}

/** Highest total first, nulls last; ties by group name, the group without a value last. */
function byTotal(a: SeriesJson, b: SeriesJson): number {
  if (a.total !== b.total) {
    if (a.total === null) return 1;
    if (b.total === null) return -1;
    return b.total - a.total;
  }
  if (a.group === b.group) return 0;
  if (a.group === null) return 1;
  if (b.group === null) return -1;
  return a.group < b.group ? -1 : 1;
}
