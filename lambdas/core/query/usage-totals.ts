import type { z } from 'zod';
import { nanoUsdToUsd } from '../pricing/compute-cost.js';
import { requestLogFieldsSchema } from '../request-log/request-log-record-schema.js';
import { isOkRequest } from './request-outcome-class.js';
import type { UsageTotalsJson, UserUsageRow } from './schemas/usage-json-schemas.js';

/** The fields of a logged request that usage reports add up (a store reads only these). */
export const usageSampleSchema = requestLogFieldsSchema.pick({
  id: true,
  createdAtMs: true,
  latencyMs: true,
  status: true,
  outcome: true,
  userId: true,
  promptTokens: true,
  completionTokens: true,
  cachedTokens: true,
  totalTokens: true,
  costNanoUsd: true,
  unpriced: true,
  rateLimited: true,
});
export type UsageSample = z.output<typeof usageSampleSchema>;

/** Running sums over requests. Cost stays in integer nano-USD until `usageTotalsJson`. */
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

/** Adds one request to `totals` (in place: aggregations fold thousands of items). */
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

/** Adds a request to its user's totals; requests without a user are not part of any user's usage. */
export function addToUserTotals(byUser: Map<string, UsageTotals>, sample: UsageSample): void {
  if (sample.userId === null) return;
  let totals = byUser.get(sample.userId);
  if (!totals) byUser.set(sample.userId, (totals = emptyUsageTotals()));
  addUsageSample(totals, sample);
}

/** The `limit` users with the highest cost; ties go to more requests, then to the user id, so pages are stable. */
export function topUsersByCost(byUser: ReadonlyMap<string, UsageTotals>, limit: number): UserUsageRow[] {
  return [...byUser]
    .sort(
      ([userA, a], [userB, b]) => b.costNanoUsd - a.costNanoUsd || b.requests - a.requests || (userA < userB ? -1 : userA > userB ? 1 : 0),
    )
    .slice(0, limit)
    .map(([userId, totals]) => ({
      userId,
      ...usageTotalsJson(totals),
      lastSeenAt: new Date(totals.lastStartMs!).toISOString(),
    }));
}
