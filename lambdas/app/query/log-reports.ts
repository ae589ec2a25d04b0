import type { ReadBudget, RequestLogReads } from '../../core/ports/request-log-reads.js';
import { summarizeSessions } from '../../core/query/session-list.js';
import { buildSessionReport } from '../../core/query/session-report.js';
import type { SessionJson, SessionListJson } from '../../core/query/schemas/session-json-schemas.js';
import type { TimeWindow } from '../../core/query/time-window.js';

/** How much one report may read; past it the report says `truncated` and covers the first part. */
export interface ReportBounds {
  /** Requests in one `/v1/sessions/{id}` answer (whole items, bodies included, must fit Lambda's 6 MB response). */
  maxSessionRequests: number;
  /**
   * What one `/v1/sessions` answer reads of the log, newest first: the log has no index of its
   * sessions, and a list whose cost grew with the traffic could not be drawn on every dashboard load.
   */
  sessionList: ReadBudget;
}

export const DEFAULT_REPORT_BOUNDS: ReportBounds = { maxSessionRequests: 2_000, sessionList: { maxItemsRead: 2_000, maxQueries: 50 } };

/** A session's report, oldest request first; null when the session has no requests. */
export async function readSessionReport(reads: RequestLogReads, sessionId: string, bounds: ReportBounds): Promise<SessionJson | null> {
  // One past the bound tells whether the session is longer than one answer holds.
  const records = await reads.readSessionRequests(sessionId, bounds.maxSessionRequests + 1);
  if (records.length === 0) return null;
  const truncated = records.length > bounds.maxSessionRequests;
  return { ...buildSessionReport(sessionId, records.slice(0, bounds.maxSessionRequests)), truncated };
}

/**
 * The latest `limit` sessions of a window, from one bounded read of the log newest first (at most
 * `budget.maxItemsRead` requests, which also bounds the records held). A session is met at its
 * latest request, so the sessions listed are the latest ones among the requests read; their counts
 * cover those requests only. Reading on once `limit` sessions are known only completes their
 * counts, and no count is known to be complete before the window's start is reached, so the read
 * goes on to that start or to the bound: `complete` says which came first.
 */
export async function listRecentSessions(
  reads: RequestLogReads,
  query: { window: TimeWindow; limit: number; userId?: string },
  budget: ReadBudget,
): Promise<SessionListJson> {
  const { window, limit, userId } = query;
  const range = { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() };
  if (window.fromMs >= window.toMs) return { sessions: [], complete: true, ...range };
  const page = await reads.listRequests({
    filters: { properties: {}, ...(userId !== undefined && { userId }) },
    window,
    from: null,
    limit: budget.maxItemsRead,
    budget,
  });
  return { sessions: summarizeSessions(page.records, limit), complete: page.next === null, ...range };
}
