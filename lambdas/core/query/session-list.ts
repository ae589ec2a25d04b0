import { nanoUsdToUsd } from '../pricing/compute-cost.js';
import type { RequestLogRecord } from '../request-log/request-log-record.js';
import type { SessionListRow } from './schemas/session-json-schemas.js';
import { addUsageSample, emptyUsageTotals, type UsageSample, type UsageTotals } from './usage-totals.js';

/** The user ids a row of the sessions list names at most; the session's page has them all. */
export const MAX_SESSION_LIST_USER_IDS = 5;

/** The fields of a logged request the sessions list reads: its usage, and whose and which session it is. */
export type SessionListSample = UsageSample & Pick<RequestLogRecord, 'id' | 'userId' | 'sessionId' | 'sessionName'>;

interface SessionSummary {
  sessionId: string;
  name: string | null;
  totals: UsageTotals;
  userIds: string[];
}

/**
 * The `limit` sessions with the latest request among `records` (any order), newest first, each
 * totalled over those records only; requests without a session id are no session's. The name is
 * the latest Session-Name sent, the user ids the first `MAX_SESSION_LIST_USER_IDS` distinct ones,
 * newest first.
 */
export function summarizeSessions(records: readonly SessionListSample[], limit: number): SessionListRow[] {
  const newestFirst = records
    .filter((record): record is SessionListSample & { sessionId: string } => record.sessionId !== null)
    .sort((a, b) => b.createdAtMs - a.createdAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Reading newest first, a session is met at its latest request: the map's order is the list's.
  const sessions = new Map<string, SessionSummary>();
  for (const record of newestFirst) {
    let session = sessions.get(record.sessionId);
    if (!session) {
      session = { sessionId: record.sessionId, name: null, totals: emptyUsageTotals(), userIds: [] };
      sessions.set(record.sessionId, session);
    }
    addUsageSample(session.totals, record);
    session.name ??= record.sessionName;
    const { userId } = record;
    if (userId !== null && session.userIds.length < MAX_SESSION_LIST_USER_IDS && !session.userIds.includes(userId)) {
      session.userIds.push(userId);
    }
  }
  return [...sessions.values()].slice(0, limit).map(sessionListRow);
}

function sessionListRow({ sessionId, name, totals, userIds }: SessionSummary): SessionListRow {
  return {
    sessionId,
    name,
    requests: totals.requests,
    errors: totals.errors,
    costUsd: nanoUsdToUsd(totals.costNanoUsd),
    unpricedRequests: totals.unpricedRequests,
    firstAt: new Date(totals.firstStartMs!).toISOString(),
    lastAt: new Date(totals.lastStartMs!).toISOString(),
    userIds,
  };
}
