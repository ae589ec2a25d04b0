/**
 * The metrics `/v1/metrics` answers and alert rules watch, by name. Contract, because the config
 * (alert rules in `lookout.config.ts`) is validated against it where no core code is loaded; the
 * core gives each its unit and value (`core/rollups/rollup-metrics.ts`).
 */
export const METRIC_NAMES = [
  'requests',
  'errors',
  'error_rate',
  'cost',
  'tokens',
  'prompt_tokens',
  'completion_tokens',
  'latency_p50',
  'latency_p90',
  'latency_p95',
  'latency_p99',
  'latency_avg',
  'ttft_p50',
  'ttft_p95',
  'cache_hit_rate',
  'saved_usd',
  'unpriced_share',
  'rate_limited',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** What a metric's values count or measure. */
export type MetricUnit = 'requests' | 'percent' | 'usd' | 'tokens' | 'ms';

/** The unit of each metric: what `/v1/metrics` answers it in, alert thresholds are in, and the dashboard shows. */
export const METRIC_UNITS: Readonly<Record<MetricName, MetricUnit>> = {
  requests: 'requests',
  errors: 'requests',
  error_rate: 'percent',
  cost: 'usd',
  tokens: 'tokens',
  prompt_tokens: 'tokens',
  completion_tokens: 'tokens',
  latency_p50: 'ms',
  latency_p90: 'ms',
  latency_p95: 'ms',
  latency_p99: 'ms',
  latency_avg: 'ms',
  ttft_p50: 'ms',
  ttft_p95: 'ms',
  cache_hit_rate: 'percent',
  saved_usd: 'usd',
  unpriced_share: 'percent',
  rate_limited: 'requests',
};
