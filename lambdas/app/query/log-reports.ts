import type { RequestLogReads } from '../../core/ports/request-log-reads.js';
import { buildSessionReport } from '../../core/query/session-report.js';
import type { TimeWindow } from '../../core/query/time-window.js';
import type { SessionJson } from '../../core/query/schemas/session-json-schemas.js';
import type { UserRanking, UserUsage, UserUsageRow } from '../../core/query/schemas/usage-json-schemas.js';
import {
  addToUserTotals,
  addUsageSample,
  emptyUsageTotals,
  topUsersByCost,
  usageTotalsJson,
  type UsageTotals,
} from '../../core/query/usage-totals.js';

/** How much one report may read; past it the report says `truncated` and covers the newest part. */
export interface ReportBounds {
  /** Log items read by `/v1/users` and `/v1/users/{id}/usage`. */
  maxItemsRead: number;
  /** Requests in one `/v1/sessions/{id}` answer (whole items, bodies included, must fit Lambda's 6 MB response). */
  maxSessionRequests: number;
}

export const DEFAULT_REPORT_BOUNDS: ReportBounds = { maxItemsRead: 20_000, maxSessionRequests: 2_000 };

/** Top users by cost in a window; `truncated` says the older part of the window was not reached. */
export async function rankUsersByCost(
  reads: RequestLogReads,
  window: TimeWindow,
  limit: number,
  bounds: ReportBounds,
): Promise<Omit<UserRanking, 'users'> & { users: UserUsageRow[] }> {
  const { samples, truncated } = await reads.readUsageSamples({ userId: null, window, maxItemsRead: bounds.maxItemsRead });
  const byUser = new Map<string, UsageTotals>();
  for (const sample of samples) addToUserTotals(byUser, sample);
  return { ...windowJson(window), users: topUsersByCost(byUser, limit), truncated };
}

/** One user's totals in a window (all zero when the user made no requests), bounded like `rankUsersByCost`. */
export async function readUserUsage(reads: RequestLogReads, userId: string, window: TimeWindow, bounds: ReportBounds): Promise<UserUsage> {
  const { samples, truncated } = await reads.readUsageSamples({ userId, window, maxItemsRead: bounds.maxItemsRead });
  const totals = emptyUsageTotals();
  for (const sample of samples) addUsageSample(totals, sample);
  return {
    userId,
    ...windowJson(window),
    ...usageTotalsJson(totals),
    lastSeenAt: totals.lastStartMs === null ? null : new Date(totals.lastStartMs).toISOString(),
    truncated,
  };
}

/** A session's report, oldest request first; null when the session has no requests. */
export async function readSessionReport(reads: RequestLogReads, sessionId: string, bounds: ReportBounds): Promise<SessionJson | null> {
  // One past the bound tells whether the session is longer than one answer holds.
  const records = await reads.readSessionRequests(sessionId, bounds.maxSessionRequests + 1);
  if (records.length === 0) return null;
  const truncated = records.length > bounds.maxSessionRequests;
  return { ...buildSessionReport(sessionId, records.slice(0, bounds.maxSessionRequests)), truncated };
}

function windowJson(window: TimeWindow): { from: string; to: string } {
  return { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() };
}
