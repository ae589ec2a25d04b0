/**
 * The CloudWatch metrics the gateway emits about itself (EMF lines in its log group), by name.
 * Contract, because the gateway's adapter writes them and the CDK's dashboard and alarms read
 * them (`lib/constructs/observability.ts`); the core says what each one's value is for a request
 * (`core/observability/gateway-metric-values.ts`).
 */

/** One Lookout per account and region (the stacks' names are fixed), so one namespace is enough. */
export const GATEWAY_METRICS_NAMESPACE = 'Lookout';

/** The `service` dimension every gateway metric carries (Powertools' default dimension). */
export const GATEWAY_METRICS_SERVICE = 'lookout-gateway';

/**
 * The dimensions, a small fixed set: every value is published once with `service` alone (all
 * traffic) and once with `service` and `provider`, a configured provider's name or `custom` (the
 * generic route), so bounded by the config. Nothing per user, key, session or model.
 */
export const GatewayMetricDimension = {
  service: 'service',
  provider: 'provider',
} as const;

/** A metric's unit, as CloudWatch (and so both Powertools and the CDK) spell it. */
export type GatewayMetricUnit = 'Count' | 'Milliseconds' | 'None';

/** Every gateway metric: its CloudWatch name and unit. Counts are 0 or 1 per request, so their average is a rate. */
export const GATEWAY_METRICS = {
  /** Each logged (authenticated) request. */
  requests: { name: 'Requests', unit: 'Count' },
  /** Not a completed 2xx/3xx answer, as `/v1/metrics` counts `errors`. */
  errors: { name: 'Errors', unit: 'Count' },
  /** A 5xx that Lookout itself answered (`internal_error`, the quota store down): Lookout failing. */
  gatewayErrors: { name: 'GatewayErrors', unit: 'Count' },
  /** The provider answered an error, broke off, could not be reached (502) or timed out (504). */
  upstreamErrors: { name: 'UpstreamErrors', unit: 'Count' },
  /** From the request's arrival to its last byte. */
  latency: { name: 'Latency', unit: 'Milliseconds' },
  /** To the first byte of a streamed answer; only streamed requests have one. */
  timeToFirstToken: { name: 'TimeToFirstToken', unit: 'Milliseconds' },
  /** What the request cost in USD; only priced requests have one (a cache hit costs 0). */
  costUsd: { name: 'CostUsd', unit: 'None' },
  /** Answered from Lookout's response cache. */
  cacheHits: { name: 'CacheHits', unit: 'Count' },
  /** Refused by a Lookout quota or `RateLimit-Policy` (429), or by the quota store being down (503). */
  rateLimited: { name: 'RateLimited', unit: 'Count' },
  /** The provider answered 429. */
  upstreamRateLimited: { name: 'UpstreamRateLimited', unit: 'Count' },
  /** The request log's item could not be written after every retry. */
  logWriteFailures: { name: 'LogWriteFailures', unit: 'Count' },
  /** ... so the record went to the dead-letter queue, for `npm run logs:replay`. */
  deadLetterWrites: { name: 'DeadLetterWrites', unit: 'Count' },
  /** ... and the dead-letter queue refused it too: the record is only in the function's log. */
  logRecordsLost: { name: 'LogRecordsLost', unit: 'Count' },
} as const satisfies Record<string, { name: string; unit: GatewayMetricUnit }>;

export type GatewayMetricKey = keyof typeof GATEWAY_METRICS;

/** The metrics in the order they are emitted and drawn. */
export const GATEWAY_METRIC_KEYS = Object.keys(GATEWAY_METRICS) as GatewayMetricKey[];
