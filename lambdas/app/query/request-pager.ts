import type { ReadBudget, RequestLogPosition, RequestLogReads } from '../../core/ports/request-log-reads.js';
import { decodeRequestListCursor, encodeRequestListCursor } from '../../core/query/request-list-cursor.js';
import { requestListFingerprint, type RequestListQuery } from '../../core/query/request-list-query.js';
import { resolveTimeWindow } from '../../core/query/time-window.js';
import { requestSummaryJson } from '../../core/query/request-summary-json.js';
import type { RequestListJson, RequestSummaryJson } from '../../core/query/schemas/request-json-schemas.js';

/** How much one `GET /v1/requests` call may read before it answers with what it has and a cursor. */
export interface RequestPagerBounds extends ReadBudget {
  /** The response must stay under Lambda's 6 MB payload limit, even with many large property values. */
  maxResponseBytes: number;
}

export const DEFAULT_REQUEST_PAGER_BOUNDS: RequestPagerBounds = { maxItemsRead: 5_000, maxQueries: 50, maxResponseBytes: 5_000_000 };

/**
 * Reads one page of the request list, newest first. The window is resolved on the first page and
 * carried by the cursor; a page that would outgrow the response bound ends early, its cursor just
 * after the last request it holds, so consecutive pages have no duplicates and no gaps.
 */
export async function readRequestPage(
  reads: RequestLogReads,
  query: RequestListQuery,
  context: { nowMs: number; retentionDays: number; bounds: RequestPagerBounds },
): Promise<RequestListJson> {
  const { maxResponseBytes, ...budget } = context.bounds;
  const fingerprint = requestListFingerprint(query);
  const cursor = query.cursor === undefined ? undefined : decodeRequestListCursor(query.cursor, fingerprint);
  const window = cursor?.window ?? resolveTimeWindow(query.explicitWindow, context.nowMs, context.retentionDays);
  if (window.fromMs >= window.toMs) return { requests: [], nextCursor: null };
  const continueAt = (position: RequestLogPosition | null) => position && encodeRequestListCursor({ fingerprint, window, position });

  const page = await reads.listRequests({ filters: query.filters, window, from: cursor?.position ?? null, limit: query.limit, budget });
  const requests: RequestSummaryJson[] = [];
  let responseBytes = 0;
  for (const [index, record] of page.records.entries()) {
    const summary = requestSummaryJson(record);
    const bytes = JSON.stringify(summary).length;
    if (index > 0 && responseBytes + bytes > maxResponseBytes) {
      const last = page.records[index - 1]!;
      return { requests, nextCursor: continueAt({ createdAtMs: last.createdAtMs, afterId: last.id }) };
    }
    requests.push(summary);
    responseBytes += bytes;
  }
  return { requests, nextCursor: continueAt(page.next) };
}
