import type { RequestLogRecord } from '../request-log/request-log-record.js';
import type { TimeWindow } from './query-parameters.js';
import type { IndexPositionKey, RequestLogIndex } from './request-log-index.js';
import type { RequestFilters } from './request-list-query.js';

/** Filters applied to items after DynamoDB reads them; `requireUserId` keeps only attributed requests. */
export type ItemFilters = Partial<Omit<RequestFilters, 'properties'>> & {
  properties?: Readonly<Record<string, string>>;
  requireUserId?: boolean;
};

/** One page read from one partition of an index. */
export interface IndexQuery {
  index: RequestLogIndex;
  /** The partition-key value: a `YYYY-MM-DD` day, a user id or a session id. */
  partition: string;
  /** Only items with `createdAtMs` in `[fromMs, toMs)`; null for the whole partition. */
  window: TimeWindow | null;
  newestFirst: boolean;
  filters: ItemFilters;
  /** Attributes to return; null for whole items. */
  projection: readonly string[] | null;
  startKey: IndexPositionKey | null;
  /** How many items DynamoDB may evaluate (before filters), not how many it returns. */
  limit: number;
}

/** A page of raw items: `lastKey` is null when the partition (within the window) is exhausted. */
export interface IndexPage {
  items: Record<string, unknown>[];
  lastKey: IndexPositionKey | null;
  /** Items DynamoDB evaluated, matched or not: the work the page cost. */
  scannedCount: number;
}

/** The read side of the request log (port; the DynamoDB adapter implements it). */
export interface RequestLogReads {
  queryIndex(query: IndexQuery): Promise<IndexPage>;
  findById(id: string): Promise<RequestLogRecord | null>;
}
