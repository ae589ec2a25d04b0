import { GENERIC_ROUTE_PROVIDER } from '../../contract/routes.js';
import type { GatewayMetricKey } from '../../contract/gateway-metrics.js';
import type { LoggedRequestRecord } from '../ports/gateway-metrics.js';
import { isOkRequest } from '../query/request-outcome-class.js';
import type { RequestLogWrite } from '../request-log/request-log-write.js';

const NANO_USD_PER_USD = 1e9;

/** The `provider` dimension of a request whose provider is not configured (never expected: routes only name configured ones). */
export const UNKNOWN_METRICS_PROVIDER = 'other';

/**
 * One request's gateway metrics: a value per metric (null: the request has none, so it is not
 * emitted, as TTFT for an answer that was not streamed), and the `provider` dimension.
 */
export type GatewayMetricValues = { readonly provider: string } & { readonly [Key in GatewayMetricKey]: number | null };

/**
 * The `provider` dimension for a request: its provider when configured, `custom` for the generic
 * route, else `other`, so the dimension's values are bounded by the config whatever a record holds.
 */
export function metricsProvider(provider: string, configuredProviders: Readonly<Record<string, unknown>>): string {
  if (provider === GENERIC_ROUTE_PROVIDER || Object.hasOwn(configuredProviders, provider)) return provider;
  return UNKNOWN_METRICS_PROVIDER;
}

/**
 * The metric values of one logged request and its log write. An error is what `/v1/metrics`
 * counts as one (not a completed 2xx/3xx); a gateway error is a 5xx Lookout itself answered; a
 * rate limit is Lookout's (a quota or policy), apart from the provider's own 429; cost is in USD
 * (from nano-USD), absent when unpriced. Nothing of the user, key, session or model is in it.
 */
export function gatewayMetricValues(
  record: LoggedRequestRecord,
  logWrite: RequestLogWrite,
  configuredProviders: Readonly<Record<string, unknown>>,
): GatewayMetricValues {
  const upstreamFailed = record.outcome === 'upstream_error' || record.outcome === 'timeout';
  const logWriteFailed = logWrite === 'dead_lettered' || logWrite === 'lost';
  return {
    provider: metricsProvider(record.provider, configuredProviders),
    requests: 1,
    errors: isOkRequest(record) ? 0 : 1,
    gatewayErrors: record.outcome === 'rejected' && record.status >= 500 ? 1 : 0,
    upstreamErrors: upstreamFailed ? 1 : 0,
    latency: record.latencyMs,
    timeToFirstToken: record.ttftMs,
    costUsd: record.costNanoUsd === null ? null : record.costNanoUsd / NANO_USD_PER_USD,
    cacheHits: record.cacheHit ? 1 : 0,
    rateLimited: record.rateLimited ? 1 : 0,
    upstreamRateLimited: record.status === 429 && record.outcome === 'upstream_error' ? 1 : 0,
    logWriteFailures: logWriteFailed ? 1 : 0,
    deadLetterWrites: logWrite === 'dead_lettered' ? 1 : 0,
    logRecordsLost: logWrite === 'lost' ? 1 : 0,
  };
}
