import type { TimeWindow } from '../core/query/query-parameters.js';
import { daysNewestFirst } from '../core/query/request-log-index.js';
import type { IndexQuery, RequestLogReads } from '../core/query/request-log-reads.js';
import { buildSessionReport, type SessionReport } from '../core/query/session-report.js';
import {
  addToUserTotals,
  addUsageSample,
  emptyUsageTotals,
  topUsersByCost,
  USAGE_SAMPLE_ATTRIBUTES,
  usageSampleFromItem,
  usageTotalsJson,
  type UsageTotals,
  type UsageTotalsJson,
  type UserUsageRow,
} from '../core/query/usage-totals.js';
import { requestLogRecordFromItem, type RequestLogRecord } from '../core/request-log/request-log-record.js';

/** How much one report may read; past it the report says `truncated` and covers the newest part. */
export interface ReportBounds {
  /** Log items read by `/v1/users` and `/v1/users/{id}/usage`. */
  maxItemsRead: number;
  /** Requests in one `/v1/sessions/{id}` answer (whole items, bodies included, must fit Lambda's 6 MB response). */
  maxSessionRequests: number;
}

export const DEFAULT_REPORT_BOUNDS: ReportBounds = { maxItemsRead: 20_000, maxSessionRequests: 2_000 };

const STEP_ITEMS = 1_000;

/** `GET /v1/users`. */
export interface UserRanking {
  from: string;
  to: string;
  users: UserUsageRow[];
  truncated: boolean;
}

/** `GET /v1/users/{id}/usage`. */
export interface UserUsage extends UsageTotalsJson {
  userId: string;
  from: string;
  to: string;
  lastSeenAt: string | null;
  truncated: boolean;
}

/**
 * Top users by cost in a window. Until the rollups of the aggregation issue exist this folds the
 * log itself, walking the `byDay` index newest first and reading at most `maxItemsRead` items
 * (only the usage attributes); `truncated` says the older part of the window was not reached.
 */
export async function rankUsersByCost(reads: RequestLogReads, window: TimeWindow, limit: number, bounds: ReportBounds): Promise<UserRanking> {
  const byUser = new Map<string, UsageTotals>();
  const budget = { itemsLeft: bounds.maxItemsRead };
  let truncated = false;
  for (const day of daysNewestFirst(window)) {
    const exhausted = await foldPartition(
      reads,
      { index: 'byDay', partition: day, window, newestFirst: true, filters: { requireUserId: true }, projection: USAGE_SAMPLE_ATTRIBUTES },
      budget,
      (item) => addToUserTotals(byUser, usageSampleFromItem(item)),
    );
    if (!exhausted) {
      truncated = true;
      break;
    }
  }
  return { ...windowJson(window), users: topUsersByCost(byUser, limit), truncated };
}

/** One user's totals in a window, from the `byUser` index (bounded like `rankUsersByCost`). */
export async function readUserUsage(reads: RequestLogReads, userId: string, window: TimeWindow, bounds: ReportBounds): Promise<UserUsage> {
  const totals = emptyUsageTotals();
  let truncated = false;
  if (window.fromMs < window.toMs) {
    const exhausted = await foldPartition(
      reads,
      { index: 'byUser', partition: userId, window, newestFirst: true, filters: {}, projection: USAGE_SAMPLE_ATTRIBUTES },
      { itemsLeft: bounds.maxItemsRead },
      (item) => addUsageSample(totals, usageSampleFromItem(item)),
    );
    truncated = !exhausted;
  }
  return {
    userId,
    ...windowJson(window),
    ...usageTotalsJson(totals),
    lastSeenAt: totals.lastStartMs === null ? null : new Date(totals.lastStartMs).toISOString(),
    truncated,
  };
}

/** A session's report from the `bySession` index, oldest first; null when the session has no requests. */
export async function readSessionReport(
  reads: RequestLogReads,
  sessionId: string,
  bounds: ReportBounds,
): Promise<(SessionReport & { truncated: boolean }) | null> {
  const records: RequestLogRecord[] = [];
  // One past the bound tells whether the session is longer than one answer holds.
  const wanted = bounds.maxSessionRequests + 1;
  const budget = { itemsLeft: wanted };
  await foldPartition(
    reads,
    { index: 'bySession', partition: sessionId, window: null, newestFirst: false, filters: {}, projection: null },
    budget,
    (item) => records.push(requestLogRecordFromItem(item)),
  );
  if (records.length === 0) return null;
  const truncated = records.length > bounds.maxSessionRequests;
  return { ...buildSessionReport(sessionId, records.slice(0, bounds.maxSessionRequests)), truncated };
}

/**
 * Reads a partition page by page into `onItem` while `budget` lasts. Returns true when the
 * partition was read to its end, false when the budget ran out first.
 */
async function foldPartition(
  reads: RequestLogReads,
  query: Omit<IndexQuery, 'startKey' | 'limit'>,
  budget: { itemsLeft: number },
  onItem: (item: Record<string, unknown>) => void,
): Promise<boolean> {
  let startKey: IndexQuery['startKey'] = null;
  for (;;) {
    if (budget.itemsLeft <= 0) return false;
    const page = await reads.queryIndex({ ...query, startKey, limit: Math.min(STEP_ITEMS, budget.itemsLeft) });
    budget.itemsLeft -= page.scannedCount;
    for (const item of page.items) onItem(item);
    if (page.lastKey === null) return true;
    startKey = page.lastKey;
  }
}

function windowJson(window: TimeWindow): { from: string; to: string } {
  return { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() };
}
