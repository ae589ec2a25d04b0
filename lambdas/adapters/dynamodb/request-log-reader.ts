import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { RequestListPage, RequestListRead, RequestLogPosition, RequestLogReads } from '../../core/ports/request-log-reads.js';
import { DAY_MS, type TimeWindow } from '../../core/query/time-window.js';
import { utcDay, type RequestLogRecord } from '../../core/request-log/request-log-record.js';
import { hasItemFilters, indexQueryExpressions, type IndexQuery } from './request-log-expressions.js';
import { daysNewestFirst, planRequestList, positionKeyOf, type IndexPositionKey } from './request-log-index.js';
import { requestLogRecordFromItem } from './request-log-item.js';

/** A page of raw items: `lastKey` is null when the partition (within the window) is exhausted. */
interface IndexPage {
  items: Record<string, unknown>[];
  lastKey: IndexPositionKey | null;
  /** Items DynamoDB evaluated, matched or not: the work the page cost. */
  scannedCount: number;
}

/** Where a request list is in the table: a `byDay` partition (null for the other indexes) and the key to resume after. */
interface TablePosition {
  day: string | null;
  startKey: IndexPositionKey | null;
}

/** Pages of a session; more per round trip would only hold more in memory at once. */
const STEP_ITEMS = 1_000;

/** With a filter, DynamoDB's `Limit` counts items read, not matches: read in larger steps to find matches in fewer round trips. */
const FILTERED_STEP_ITEMS = 500;

// The key DynamoDB stopped at: the table key, and the index's partition and sort keys.
const lastEvaluatedKeySchema = z.object({ id: z.string(), createdAtMs: z.number() }).catchall(z.union([z.string(), z.number()]));

/** Reads the request-log table: items by id, and pages of its `byDay` / `byUser` / `bySession` indexes. */
export class RequestLogTableReader implements RequestLogReads {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findById(id: string): Promise<RequestLogRecord | null> {
    // A strong read costs one extra half unit and spares a client that looks up the Lookout-Id it
    // was just given a 404 (index reads cannot be strong; lists may lag by a moment).
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }));
    return Item ? requestLogRecordFromItem(Item) : null;
  }

  /**
   * DynamoDB applies `Limit` before filters, so this keeps querying (page after page, day after
   * day for `byDay`) until the page is full, the window is exhausted, or the budget is spent. The
   * page ends just after its last request when it is full, and at the item DynamoDB stopped at
   * otherwise, so that consecutive pages have no duplicates and no gaps.
   */
  async listRequests(read: RequestListRead): Promise<RequestListPage> {
    const { filters, limit, budget, from } = read;
    const plan = planRequestList(filters);
    // Before an instant: the window ends there. After a request: DynamoDB resumes after its key,
    // which lies in the filtered user's or session's partition (the list holds only their requests).
    const window = from?.afterId === null ? { ...read.window, toMs: Math.min(read.window.toMs, from.createdAtMs) } : read.window;
    if (window.fromMs >= window.toMs) return { records: [], next: null };
    const days = plan.index === 'byDay' ? daysNewestFirst(window) : null;
    let position: TablePosition = from?.afterId
      ? {
          day: days === null ? null : utcDay(from.createdAtMs),
          startKey: positionKeyOf(plan.index, {
            id: from.afterId,
            createdAtMs: from.createdAtMs,
            userId: filters.userId ?? null,
            sessionId: filters.sessionId ?? null,
          }),
        }
      : { day: days?.[0] ?? null, startKey: null };

    const filtered = hasItemFilters(plan.residualFilters);
    const records: RequestLogRecord[] = [];
    let itemsRead = 0;
    let queries = 0;
    for (;;) {
      if (itemsRead >= budget.maxItemsRead || queries >= budget.maxQueries) return { records, next: logPosition(position, window) };
      const needed = limit - records.length;
      // One more than needed tells, without a filter, whether anything follows the last item.
      const step = filtered ? Math.max(needed + 1, FILTERED_STEP_ITEMS) : needed + 1;
      const page = await this.queryIndex({
        index: plan.index,
        partition: position.day ?? plan.partition!,
        window,
        newestFirst: true,
        filters: plan.residualFilters,
        projection: null,
        startKey: position.startKey,
        limit: Math.min(step, budget.maxItemsRead - itemsRead),
      });
      queries += 1;
      itemsRead += page.scannedCount;

      for (const [index, item] of page.items.entries()) {
        const record = requestLogRecordFromItem(item);
        records.push(record);
        if (records.length === limit) {
          const moreFollow = index < page.items.length - 1 || page.lastKey !== null || (days !== null && position.day !== days.at(-1));
          return { records, next: moreFollow ? { createdAtMs: record.createdAtMs, afterId: record.id } : null };
        }
      }

      if (page.lastKey !== null) {
        position = { day: position.day, startKey: page.lastKey };
        continue;
      }
      const nextDay = days?.[days.indexOf(position.day!) + 1];
      if (nextDay === undefined) return { records, next: null };
      position = { day: nextDay, startKey: null };
    }
  }

  async readSessionRequests(sessionId: string, limit: number): Promise<RequestLogRecord[]> {
    const records: RequestLogRecord[] = [];
    await this.foldPartition(
      { index: 'bySession', partition: sessionId, window: null, newestFirst: false, filters: {}, projection: null },
      { itemsLeft: limit },
      (item) => records.push(requestLogRecordFromItem(item)),
    );
    return records;
  }

  /**
   * Reads a partition page by page into `onItem` while `budget` lasts. Returns true when the
   * partition was read to its end, false when the budget ran out first.
   */
  private async foldPartition(
    query: Omit<IndexQuery, 'startKey' | 'limit'>,
    budget: { itemsLeft: number },
    onItem: (item: Record<string, unknown>) => void,
  ): Promise<boolean> {
    let startKey: IndexPositionKey | null = null;
    for (;;) {
      if (budget.itemsLeft <= 0) return false;
      const page = await this.queryIndex({ ...query, startKey, limit: Math.min(STEP_ITEMS, budget.itemsLeft) });
      budget.itemsLeft -= page.scannedCount;
      for (const item of page.items) onItem(item);
      if (page.lastKey === null) return true;
      startKey = page.lastKey;
    }
  }

  private async queryIndex(query: IndexQuery): Promise<IndexPage> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: query.index,
        ...indexQueryExpressions(query),
        ScanIndexForward: !query.newestFirst,
        ExclusiveStartKey: query.startKey ?? undefined,
        Limit: query.limit,
      }),
    );
    const lastKey = page.LastEvaluatedKey === undefined ? null : lastEvaluatedKeySchema.parse(page.LastEvaluatedKey);
    return { items: page.Items ?? [], lastKey, scannedCount: page.ScannedCount ?? 0 };
  }
}

/** The log position a table position stands for: after its start key, or before everything of its day. */
function logPosition(position: TablePosition, window: TimeWindow): RequestLogPosition {
  if (position.startKey !== null) return { createdAtMs: position.startKey.createdAtMs, afterId: position.startKey.id };
  const dayEndMs = position.day === null ? window.toMs : Date.parse(`${position.day}T00:00:00Z`) + DAY_MS;
  return { createdAtMs: Math.min(dayEndMs, window.toMs), afterId: null };
}
