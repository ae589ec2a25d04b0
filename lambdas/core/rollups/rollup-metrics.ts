import type { MetricName } from '../../contract/metric-names.js';
import { nanoUsdToUsd } from '../pricing/compute-cost.js';
import { histogramQuantile } from './log-histogram.js';
import type { RollupBucket } from './rollup-bucket.js';

/** What each metric is, for the API's documentation. */
export const METRIC_DESCRIPTIONS: Readonly<Record<MetricName, string>> = {
  requests: 'requests counted',
  errors: 'requests that did not end in a completed 2xx/3xx',
  error_rate: 'errors / requests, in percent',
  cost: 'cost of the priced requests in USD (see unpriced_share for the requests without a known price)',
  tokens: 'total tokens',
  prompt_tokens: 'prompt (input) tokens',
  completion_tokens: 'completion (output) tokens',
  latency_p50: 'median latency in ms',
  latency_p90: '90th percentile latency in ms',
  latency_p95: '95th percentile latency in ms',
  latency_p99: '99th percentile latency in ms',
  latency_avg: 'mean latency in ms',
  ttft_p50: 'median time to first byte of the streams, in ms',
  ttft_p95: '95th percentile time to first byte of the streams, in ms',
  cache_hit_rate: 'cache hits / cache lookups (hits, misses and lookups the cache could not answer), in percent',
  saved_usd: "what the cache hits' originals cost, in USD (priced originals only)",
  unpriced_share: 'requests whose model has no known price / requests, in percent',
  rate_limited: 'requests a quota or a RateLimit-Policy refused',
};

const percent = (part: number, whole: number): number => (part / whole) * 100;

/**
 * A metric's value over the requests of a bucket (one point, or a merged range): null when the
 * bucket counted no request, for TTFT when no request had one, and for the cache hit rate when
 * no request looked the cache up. Percentiles come from the bucket's histogram, within its 1%.
 */
export function metricValue(metric: MetricName, bucket: RollupBucket): number | null {
  const counts = bucket.counts;
  if (counts.requests === 0) return null;
  switch (metric) {
    case 'requests':
      return counts.requests;
    case 'errors':
      return counts.errors;
    case 'error_rate':
      return percent(counts.errors, counts.requests);
    case 'cost':
      return nanoUsdToUsd(counts.costNanoUsd);
    case 'tokens':
      return counts.totalTokens;
    case 'prompt_tokens':
      return counts.promptTokens;
    case 'completion_tokens':
      return counts.completionTokens;
    case 'latency_p50':
      return histogramQuantile(bucket.latency, 0.5);
    case 'latency_p90':
      return histogramQuantile(bucket.latency, 0.9);
    case 'latency_p95':
      return histogramQuantile(bucket.latency, 0.95);
    case 'latency_p99':
      return histogramQuantile(bucket.latency, 0.99);
    case 'latency_avg':
      return counts.latencySumMs / counts.requests;
    case 'ttft_p50':
      return histogramQuantile(bucket.ttft, 0.5);
    case 'ttft_p95':
      return histogramQuantile(bucket.ttft, 0.95);
    case 'cache_hit_rate': {
      const lookups = counts.cacheHits + counts.cacheMisses + counts.cacheUnavailable;
      return lookups === 0 ? null : percent(counts.cacheHits, lookups);
    }
    case 'saved_usd':
      return nanoUsdToUsd(counts.savedNanoUsd);
    case 'unpriced_share':
      return percent(counts.unpriced, counts.requests);
    case 'rate_limited':
      return counts.rateLimited;
  }
}
