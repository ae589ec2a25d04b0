import type { CacheStatus } from '../cache/cache-lookup.js';

/** How a logged request ended, beyond its HTTP status. */
export type RequestOutcome =
  /** The upstream answered with a status below 400 and the whole answer reached the client. */
  | 'completed'
  /** The client went away before the answer was complete; the upstream call was aborted. */
  | 'cancelled'
  /** The upstream did not answer in time (504), or went silent mid-stream. */
  | 'timeout'
  /**
   * The provider answered 4xx/5xx (passed through unchanged; `errorCode` is its error code), could
   * not be reached (502), or broke the connection mid-answer.
   */
  | 'upstream_error'
  /** Lookout refused the request itself (bad header, body, quota...): `errorCode` says why. */
  | 'rejected';

/**
 * A stored body: inline in the log item when small (as it is below about 1 KiB, where gzip gains
 * too little to pay for itself; gzip above), else a gzip object in the bodies bucket.
 */
export type StoredBody = { raw: Uint8Array } | { gzip: Uint8Array } | { s3Key: string };

/** One request as Lookout logs it. Money in integer nano-USD, times in epoch milliseconds. */
export interface RequestLogRecord {
  id: string;
  createdAtMs: number;
  provider: string;
  model: string | null;
  method: string;
  /** The provider-side path, e.g. `/v1/chat/completions`. */
  path: string;
  /** The HTTP status the client received. */
  status: number;
  outcome: RequestOutcome;
  errorCode: string | null;
  stream: boolean;
  latencyMs: number;
  /** Time until the first byte reached the client, for streamed answers. */
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  cacheWriteTokens: number | null;
  totalTokens: number | null;
  costNanoUsd: number | null;
  /** True when the model has no known price: cost is unknown, not zero. */
  unpriced: boolean;
  userId: string | null;
  sessionId: string | null;
  sessionPath: string | null;
  sessionName: string | null;
  promptId: string | null;
  properties: Record<string, string>;
  /** Answered from Lookout's response cache: nothing was billed, and the `saved*` fields say what the original cost. */
  cacheHit: boolean;
  /** What the response cache did, for a request that asked for it (`Cache-Enabled` / `-Read` / `-Save`); else null. */
  cacheStatus: CacheStatus | null;
  /** On a hit: what the original answer cost (null when its model is unpriced). */
  savedNanoUsd: number | null;
  /** On a hit: the original's token counts, kept apart so token totals count only what a provider billed. */
  savedPromptTokens: number | null;
  savedCompletionTokens: number | null;
  savedTotalTokens: number | null;
  /** On a hit: the original's latency minus the hit's (0 when the hit was slower). */
  savedLatencyMs: number | null;
  /** Refused by a quota or a `RateLimit-Policy` (429), or by the quota store being down (503, fail-closed). */
  rateLimited: boolean;
  /** The quota's name, or the policy as written, that refused the request. */
  rateLimitedBy: string | null;
  /** Name of the gateway key that made the request (never the key). */
  keyName: string | null;
  /** The stored response body was cut at the size cap (`maxBodyBytes`); the client got it whole. */
  responseBodyTruncated: boolean;
  requestBody: StoredBody | null;
  responseBody: StoredBody | null;
}

/** `YYYY-MM-DD` (UTC) of an instant: the day a request is filed under (its bodies' keys, the log's day index). */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
