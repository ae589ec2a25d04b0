import { readAliasedHeader, type RequestHeaderMap } from './header-names.js';
import { invalidHeader, parseBooleanHeader, parseDecimalHeader, parseIntegerHeader } from './header-values.js';

/** Exponential backoff for retrying a failed upstream call; waits grow by `factor` between the bounds. */
export interface RetryOptions {
  /** `Retry-Num`: retries after the first attempt. */
  readonly maxRetries: number;
  /** `Retry-Factor`: each wait is the previous one times this. */
  readonly factor: number;
  /** `Retry-Min-Timeout`: the first wait, in milliseconds. */
  readonly minTimeoutMs: number;
  /** `Retry-Max-Timeout`: the longest wait, in milliseconds. */
  readonly maxTimeoutMs: number;
}

// Helicone's documented defaults.
export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  maxRetries: 5,
  factor: 2,
  minTimeoutMs: 1_000,
  maxTimeoutMs: 10_000,
};

// Bounds keep a client from parking a Lambda for minutes on one request: even the worst case
// (10 waits of 60 s) stays inside the 15-minute Lambda limit.
const MAX_RETRIES = 10;
const MAX_FACTOR = 10;
const MAX_TIMEOUT_MS = 60_000;

/**
 * Parses `Retry-Enabled` and its tuning headers; null unless `Retry-Enabled: true`. The tuning
 * headers are validated even when retries are off so a typo fails immediately.
 */
export function parseRetryHeaders(headers: RequestHeaderMap): RetryOptions | null {
  const enabledHeader = readAliasedHeader(headers, 'Retry-Enabled');
  const numHeader = readAliasedHeader(headers, 'Retry-Num');
  const factorHeader = readAliasedHeader(headers, 'Retry-Factor');
  const minHeader = readAliasedHeader(headers, 'Retry-Min-Timeout');
  const maxHeader = readAliasedHeader(headers, 'Retry-Max-Timeout');

  const enabled = enabledHeader ? parseBooleanHeader(enabledHeader) : false;
  const options: RetryOptions = {
    maxRetries: numHeader ? parseIntegerHeader(numHeader, 0, MAX_RETRIES) : DEFAULT_RETRY_OPTIONS.maxRetries,
    factor: factorHeader ? parseDecimalHeader(factorHeader, 1, MAX_FACTOR) : DEFAULT_RETRY_OPTIONS.factor,
    minTimeoutMs: minHeader ? parseIntegerHeader(minHeader, 0, MAX_TIMEOUT_MS) : DEFAULT_RETRY_OPTIONS.minTimeoutMs,
    maxTimeoutMs: maxHeader ? parseIntegerHeader(maxHeader, 0, MAX_TIMEOUT_MS) : DEFAULT_RETRY_OPTIONS.maxTimeoutMs,
  };
  if (options.minTimeoutMs > options.maxTimeoutMs) {
    // Blame a header the client actually sent: the max if they set it, else the min that
    // overshot the default max.
    throw maxHeader
      ? invalidHeader(`${maxHeader.name} must be at least the minimum timeout (${options.minTimeoutMs} ms)`)
      : invalidHeader(
          `${minHeader?.name ?? 'Lookout-Retry-Min-Timeout'} must not exceed the maximum timeout (default ${options.maxTimeoutMs} ms); send Retry-Max-Timeout too`,
        );
  }
  return enabled ? options : null;
}
