import { isOkRequest } from '../query/request-outcome-class.js';
import { addToHistogram, mergeInto, type Histogram } from './log-histogram.js';
import type { RollupSample } from './rollup-sample.js';

/**
 * What one rollup bucket holds for the requests of one series in one minute, hour or day. Every
 * field is a sum, so buckets merge by adding, and the aggregator applies a batch as atomic `ADD`s
 * that commute with other shards' writes to the same bucket. Money is integer nano-USD.
 */
export interface RollupCounts {
  requests: number;
  /** Requests that did not end as a completed 2xx/3xx (`isOkRequest`), as `/v1/users` counts errors. */
  errors: number;
  status4xx: number;
  status5xx: number;
  cancelled: number;
  timeouts: number;
  rateLimited: number;
  /** Cost of the priced requests; `unpriced` counts the others, whose cost is unknown. */
  costNanoUsd: number;
  unpriced: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  totalTokens: number;
  cacheHits: number;
  /** Hits whose original had no known price: their saving is not in `savedNanoUsd`. */
  cacheHitsUnpriced: number;
  cacheMisses: number;
  cacheUnavailable: number;
  savedNanoUsd: number;
  savedTokens: number;
  savedLatencyMs: number;
  latencySumMs: number;
}

export const ROLLUP_COUNT_FIELDS = [
  'requests',
  'errors',
  'status4xx',
  'status5xx',
  'cancelled',
  'timeouts',
  'rateLimited',
  'costNanoUsd',
  'unpriced',
  'promptTokens',
  'completionTokens',
  'cachedTokens',
  'cacheWriteTokens',
  'totalTokens',
  'cacheHits',
  'cacheHitsUnpriced',
  'cacheMisses',
  'cacheUnavailable',
  'savedNanoUsd',
  'savedTokens',
  'savedLatencyMs',
  'latencySumMs',
] as const satisfies readonly (keyof RollupCounts)[];

export interface RollupBucket {
  counts: RollupCounts;
  /** Latency of every request, in ms. */
  latency: Histogram;
  /** Time to first byte of the requests that have one (streams). */
  ttft: Histogram;
  /**
   * The latest request start seen. Written as a plain overwrite (DynamoDB has no atomic maximum),
   * so two shards writing one bucket at once can leave an earlier start of the same bucket.
   */
  lastRequestAtMs: number | null;
}

export function emptyRollupBucket(): RollupBucket {
  const counts = Object.fromEntries(ROLLUP_COUNT_FIELDS.map((field) => [field, 0])) as unknown as RollupCounts;
  return { counts, latency: new Map(), ttft: new Map(), lastRequestAtMs: null };
}

/** Adds one logged request to a bucket, in place. */
export function addSampleToBucket(bucket: RollupBucket, sample: RollupSample): void {
  const counts = bucket.counts;
  counts.requests += 1;
  if (!isOkRequest(sample)) counts.errors += 1;
  if (sample.status >= 400 && sample.status < 500) counts.status4xx += 1;
  if (sample.status >= 500) counts.status5xx += 1;
  if (sample.outcome === 'cancelled') counts.cancelled += 1;
  if (sample.outcome === 'timeout') counts.timeouts += 1;
  if (sample.rateLimited) counts.rateLimited += 1;
  if (sample.unpriced) counts.unpriced += 1;
  else counts.costNanoUsd += sample.costNanoUsd ?? 0;
  counts.promptTokens += sample.promptTokens ?? 0;
  counts.completionTokens += sample.completionTokens ?? 0;
  counts.cachedTokens += sample.cachedTokens ?? 0;
  counts.cacheWriteTokens += sample.cacheWriteTokens ?? 0;
  counts.totalTokens += sample.totalTokens ?? 0;
  if (sample.cacheStatus === 'hit') {
    counts.cacheHits += 1;
    if (sample.savedNanoUsd === null) counts.cacheHitsUnpriced += 1;
    else counts.savedNanoUsd += sample.savedNanoUsd;
    counts.savedTokens += sample.savedTotalTokens ?? 0;
    counts.savedLatencyMs += sample.savedLatencyMs ?? 0;
  }
  if (sample.cacheStatus === 'miss') counts.cacheMisses += 1;
  if (sample.cacheStatus === 'unavailable') counts.cacheUnavailable += 1;
  counts.latencySumMs += sample.latencyMs;
  addToHistogram(bucket.latency, sample.latencyMs);
  if (sample.ttftMs !== null) addToHistogram(bucket.ttft, sample.ttftMs);
  bucket.lastRequestAtMs = Math.max(bucket.lastRequestAtMs ?? sample.createdAtMs, sample.createdAtMs);
}

/** Adds `source` into `target`, in place: merging is adding, so any order gives the same bucket. */
export function addBucketInto(target: RollupBucket, source: RollupBucket): void {
  for (const field of ROLLUP_COUNT_FIELDS) target.counts[field] += source.counts[field];
  mergeInto(target.latency, source.latency);
  mergeInto(target.ttft, source.ttft);
  if (source.lastRequestAtMs !== null)
    target.lastRequestAtMs = Math.max(target.lastRequestAtMs ?? source.lastRequestAtMs, source.lastRequestAtMs);
}
