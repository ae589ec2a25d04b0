import type { RequestOutcome } from '../request-log/request-log-record.js';

/** Lowest and highest HTTP status of a successful request (redirects included: the provider answered). */
export const OK_STATUS_RANGE = { min: 200, max: 399 } as const;

/**
 * True when a request succeeded: a 2xx/3xx that reached the client whole. A 200 stream the client
 * abandoned, or one the upstream broke off, is an error even though its status says otherwise.
 */
export function isOkRequest(request: { status: number; outcome: RequestOutcome }): boolean {
  return request.status >= OK_STATUS_RANGE.min && request.status <= OK_STATUS_RANGE.max && request.outcome === 'completed';
}
