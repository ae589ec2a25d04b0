import type { RequestLogReads } from '../../core/ports/request-log-reads.js';
import { buildSessionReport } from '../../core/query/session-report.js';
import type { SessionJson } from '../../core/query/schemas/session-json-schemas.js';

/** How much one report may read; past it the report says `truncated` and covers the first part. */
export interface ReportBounds {
  /** Requests in one `/v1/sessions/{id}` answer (whole items, bodies included, must fit Lambda's 6 MB response). */
  maxSessionRequests: number;
}

export const DEFAULT_REPORT_BOUNDS: ReportBounds = { maxSessionRequests: 2_000 };

/** A session's report, oldest request first; null when the session has no requests. */
export async function readSessionReport(reads: RequestLogReads, sessionId: string, bounds: ReportBounds): Promise<SessionJson | null> {
  // One past the bound tells whether the session is longer than one answer holds.
  const records = await reads.readSessionRequests(sessionId, bounds.maxSessionRequests + 1);
  if (records.length === 0) return null;
  const truncated = records.length > bounds.maxSessionRequests;
  return { ...buildSessionReport(sessionId, records.slice(0, bounds.maxSessionRequests)), truncated };
}
