import type { RequestFilters } from '../query/request-list-query.js';
import type { TimeWindow } from '../query/time-window.js';
import type { RequestLogRecord } from '../request-log/request-log-record.js';

/**
 * A place in the log's newest-first order: before the requests created before `createdAtMs`, and
 * before those created at `createdAtMs` that the store orders after request `afterId` (no such
 * requests when it is null). A page ends at one, and the next page starts there.
 */
export interface RequestLogPosition {
  createdAtMs: number;
  afterId: string | null;
}

/** How much storage work one read may do before it answers with what it has. */
export interface ReadBudget {
  /** Log entries examined, matching or not (a selective filter can read many to find few). */
  maxItemsRead: number;
  /** Round trips to the store (an empty day still costs one). */
  maxQueries: number;
}

/** One page of the request list. */
export interface RequestListRead {
  filters: RequestFilters;
  window: TimeWindow;
  /** Where the previous page ended (its `next`); null for the newest request in the window. */
  from: RequestLogPosition | null;
  limit: number;
  budget: ReadBudget;
}

/**
 * Up to `limit` matching requests, newest first. `next` is where the list goes on, or null when
 * nothing follows; a page cut short by its budget may hold fewer requests, even none.
 */
export interface RequestListPage {
  records: RequestLogRecord[];
  next: RequestLogPosition | null;
}

/** The read side of the request log (port; the DynamoDB adapter implements it). */
export interface RequestLogReads {
  findById(id: string): Promise<RequestLogRecord | null>;
  listRequests(read: RequestListRead): Promise<RequestListPage>;
  /** A session's requests, oldest first, at most `limit` of them (none for an unknown session). */
  readSessionRequests(sessionId: string, limit: number): Promise<RequestLogRecord[]>;
}
