import { nanoUsdToUsd } from '../pricing/compute-cost.js';
import type { RequestLogRecord } from '../request-log/request-log-record.js';
import type { RollupBucket } from '../rollups/rollup-bucket.js';
import { isOkRequest } from './request-outcome-class.js';
import type { UsageTotalsJson, UserUsageRow } from './schemas/usage-json-schemas.js';

/** The fields of a logged request that a session's totals add up. */
export type UsageSample = Pick<
  RequestLogRecord,
  | 'createdAtMs'
  | 'latencyMs'
  | 'status'
  | 'outcome'
  | 'promptTokens'
  | 'completionTokens'
  | 'cachedTokens'
  | 'totalTokens'
  | 'costNanoUsd'
  | 'unpriced'
  | 'rateLimited'
>;

/** Running sums over a session's requests. Cost stays in integer nano-USD until `usageTotalsJson`. */
export interface UsageTotals {
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  totalTokens: number;
  /** Cost of the priced requests only; `unpricedRequests` says how many are missing from it. */
  costNanoUsd: number;
  unpricedRequests: number;
  /** Requests a quota or a `RateLimit-Policy` refused. */
  rateLimitedRequests: number;
  firstStartMs: number | null;
  lastStartMs: number | null;
  /** The latest `createdAtMs + latencyMs`: when the last request finished. */
  lastEndMs: number | null;
}

/** Zeroed totals. */
export function emptyUsageTotals(): UsageTotals {
  return {
    requests: 0,
    errors: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    totalTokens: 0,
    costNanoUsd: 0,
    unpricedRequests: 0,
    rateLimitedRequests: 0,
    firstStartMs: null,
    lastStartMs: null,
    lastEndMs: null,
  };
}

/** Adds one request to `totals`, in place. */
export function addUsageSample(totals: UsageTotals, sample: UsageSample): void {
  totals.requests += 1;
  if (!isOkRequest(sample)) totals.errors += 1;
  totals.promptTokens += sample.promptTokens ?? 0;
  totals.completionTokens += sample.completionTokens ?? 0;
  totals.cachedTokens += sample.cachedTokens ?? 0;
  totals.totalTokens += sample.totalTokens ?? 0;
  // A request with no cost and no `unpriced` flag (refused, or failed before any usage) cost nothing.
  if (sample.rateLimited) totals.rateLimitedRequests += 1;
  if (sample.unpriced) totals.unpricedRequests += 1;
  else totals.costNanoUsd += sample.costNanoUsd ?? 0;
  if (!Number.isSafeInteger(totals.costNanoUsd)) throw new RangeError('cost total exceeds what integer nano-USD can hold exactly');
  const endMs = sample.createdAtMs + sample.latencyMs;
  totals.firstStartMs = totals.firstStartMs === null ? sample.createdAtMs : Math.min(totals.firstStartMs, sample.createdAtMs);
  totals.lastStartMs = totals.lastStartMs === null ? sample.createdAtMs : Math.max(totals.lastStartMs, sample.createdAtMs);
  totals.lastEndMs = totals.lastEndMs === null ? endMs : Math.max(totals.lastEndMs, endMs);
}

/** Totals as API JSON: the one place nano-USD become USD. */
export function usageTotalsJson(totals: UsageTotals): UsageTotalsJson {
  return {
    requests: totals.requests,
    errors: totals.errors,
    promptTokens: totals.promptTokens,
    completionTokens: totals.completionTokens,
    cachedTokens: totals.cachedTokens,
    totalTokens: totals.totalTokens,
    costUsd: nanoUsdToUsd(totals.costNanoUsd),
    unpricedRequests: totals.unpricedRequests,
    rateLimitedRequests: totals.rateLimitedRequests,
  };
}

/** The usage totals of a rollup bucket (a user's buckets merged over a window), as API JSON. */
export function bucketUsageJson(bucket: RollupBucket): UsageTotalsJson {
  const counts = bucket.counts;
  if (!Number.isSafeInteger(counts.costNanoUsd)) throw new RangeError('cost total exceeds what integer nano-USD can hold exactly');
  return {
    requests: counts.requests,
    errors: counts.errors,
    promptTokens: counts.promptTokens,
    completionTokens: counts.completionTokens,
    cachedTokens: counts.cachedTokens,
    totalTokens: counts.totalTokens,
    costUsd: nanoUsdToUsd(counts.costNanoUsd),
    unpricedRequests: counts.unpriced,
    rateLimitedRequests: counts.rateLimited,
  };
}

/** What `GET /v1/users` ranks by: each user's cost, requests or errors over the range. */
export const USER_ORDERS = ['cost', 'requests', 'errors'] as const;
export type UserOrder = (typeof USER_ORDERS)[number];

// Each order's count first, then the others, so that equal counts still rank the same way every time.
const ORDER_KEYS: Readonly<Record<UserOrder, readonly ('costNanoUsd' | 'requests' | 'errors')[]>> = {
  cost: ['costNanoUsd', 'requests'],
  requests: ['requests', 'costNanoUsd'],
  errors: ['errors', 'requests', 'costNanoUsd'],
};

/**
 * The `limit` users highest by `orderBy`, from each user's merged bucket; ties go to the other
 * counts (more requests, then more cost), then to the user id, so pages are stable.
 */
export function topUsers(byUser: ReadonlyMap<string, RollupBucket>, limit: number, orderBy: UserOrder = 'cost'): UserUsageRow[] {
  const keys = ORDER_KEYS[orderBy];
  return [...byUser]
    .filter(([, bucket]) => bucket.counts.requests > 0)
    .sort(([userA, a], [userB, b]) => {
      for (const key of keys) if (a.counts[key] !== b.counts[key]) return b.counts[key] - a.counts[key];
      return userA < userB ? -1 : userA > userB ? 1 : 0;
    })
    .slice(0, limit)
    .map(([userId, bucket]) => ({
      userId,
      ...bucketUsageJson(bucket),
      lastSeenAt: new Date(bucket.lastRequestAtMs!).toISOString(),
    }));
}
