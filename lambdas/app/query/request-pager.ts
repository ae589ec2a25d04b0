import { resolveTimeWindow } from '../core/query/query-parameters.js';
import { hasItemFilters } from '../core/query/request-log-expressions.js';
import { daysNewestFirst, planRequestList, positionKeyOf } from '../core/query/request-log-index.js';
import type { RequestLogReads } from '../core/query/request-log-reads.js';
import { decodeRequestListCursor, encodeRequestListCursor, type RequestListPosition } from '../core/query/request-list-cursor.js';
import { requestListFingerprint, type RequestListQuery } from '../core/query/request-list-query.js';
import { requestLogRecordFromItem, requestSummaryJson, type RequestLogRecord, type RequestSummaryJson } from '../core/request-log/request-log-record.js';

/** How much one `GET /v1/requests` call may read before it answers with what it has and a cursor. */
export interface RequestPagerBounds {
  /** Items DynamoDB evaluates, matching or not (a selective filter can read many to find few). */
  maxItemsRead: number;
  /** Query round trips (an empty day still costs one). */
  maxQueries: number;
  /** The response must stay under Lambda's 6 MB payload limit, even with many large property values. */
  maxResponseBytes: number;
}

export const DEFAULT_REQUEST_PAGER_BOUNDS: RequestPagerBounds = { maxItemsRead: 5_000, maxQueries: 50, maxResponseBytes: 5_000_000 };

/** With a filter, DynamoDB's `Limit` counts items read, not matches: read in larger steps to find matches in fewer round trips. */
const FILTERED_STEP_ITEMS = 500;

/** One page of `GET /v1/requests`. */
export interface RequestPage {
  requests: RequestSummaryJson[];
  nextCursor: string | null;
}

/**
 * Reads one page of the request list, newest first. DynamoDB applies `Limit` before filters, so
 * this keeps querying (page after page, day after day for `byDay`) until the page is full, the
 * window is exhausted, or a bound is hit. The cursor always points just after the last item
 * returned (never at DynamoDB's `LastEvaluatedKey` when the page stopped mid-way through a
 * DynamoDB page), so consecutive pages have no duplicates and no gaps.
 */
export async function readRequestPage(
  reads: RequestLogReads,
  query: RequestListQuery,
  context: { nowMs: number; retentionDays: number; bounds: RequestPagerBounds },
): Promise<RequestPage> {
  const { bounds } = context;
  const plan = planRequestList(query.filters);
  const fingerprint = requestListFingerprint(query);
  const cursor = query.cursor === undefined ? undefined : decodeRequestListCursor(query.cursor, { fingerprint, plan });
  const window = cursor?.window ?? resolveTimeWindow(query.explicitWindow, context.nowMs, context.retentionDays);
  if (window.fromMs >= window.toMs) return { requests: [], nextCursor: null };
  const days = plan.index === 'byDay' ? daysNewestFirst(window) : null;
  let position: RequestListPosition = cursor?.position ?? { day: days?.[0] ?? null, startKey: null };

  const filtered = hasItemFilters(plan.residualFilters);
  const requests: RequestSummaryJson[] = [];
  let responseBytes = 0;
  let itemsRead = 0;
  let queries = 0;
  const continueAt = (next: RequestListPosition) => encodeRequestListCursor({ fingerprint, window, position: next });
  const after = (record: RequestLogRecord): RequestListPosition => ({ day: position.day, startKey: positionKeyOf(plan.index, record) });

  for (;;) {
    if (itemsRead >= bounds.maxItemsRead || queries >= bounds.maxQueries) return { requests, nextCursor: continueAt(position) };
    const needed = query.limit - requests.length;
    // One more than needed tells, without a filter, whether anything follows the last item.
    const step = filtered ? Math.max(needed + 1, FILTERED_STEP_ITEMS) : needed + 1;
    const page = await reads.queryIndex({
      index: plan.index,
      partition: position.day ?? plan.partition!,
      window,
      newestFirst: true,
      filters: plan.residualFilters,
      projection: null,
      startKey: position.startKey,
      limit: Math.min(step, bounds.maxItemsRead - itemsRead),
    });
    queries += 1;
    itemsRead += page.scannedCount;

    let previous: RequestLogRecord | undefined;
    for (const [index, item] of page.items.entries()) {
      const record = requestLogRecordFromItem(item);
      const summary = requestSummaryJson(record);
      const bytes = JSON.stringify(summary).length;
      if (requests.length > 0 && responseBytes + bytes > bounds.maxResponseBytes) {
        // Resume at this item: after the previous one of this page, or where this page began.
        return { requests, nextCursor: continueAt(previous ? after(previous) : position) };
      }
      requests.push(summary);
      responseBytes += bytes;
      previous = record;
      if (requests.length === query.limit) {
        const moreFollow = index < page.items.length - 1 || page.lastKey !== null || (days !== null && position.day !== days.at(-1));
        return { requests, nextCursor: moreFollow ? continueAt(after(record)) : null };
      }
    }

    if (page.lastKey !== null) {
      position = { day: position.day, startKey: page.lastKey };
      continue;
    }
    const nextDay = days?.[days.indexOf(position.day!) + 1];
    if (nextDay === undefined) return { requests, nextCursor: null };
    position = { day: nextDay, startKey: null };
  }
}
