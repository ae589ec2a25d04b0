import { requestLogIndexes, requestLogIndexSortKey, type RequestLogIndexName } from '../../contract/table-schemas.js';
import type { RequestFilters } from '../../core/query/request-list-query.js';
import { DAY_MS, type TimeWindow } from '../../core/query/time-window.js';
import { utcDay } from '../../core/request-log/request-log-record.js';

/** The request-log table's global secondary indexes, each sorted by `createdAtMs`. */
export type RequestLogIndex = RequestLogIndexName;

/** The partition-key attribute of an index. */
export function indexPartitionAttribute(index: RequestLogIndex): string {
  return requestLogIndexes[index].partitionKey.name;
}

/** The sort-key attribute shared by every index. */
export const INDEX_SORT_ATTRIBUTE = requestLogIndexSortKey.name;

/**
 * A position in an index, as DynamoDB returns it in `LastEvaluatedKey` and takes back as
 * `ExclusiveStartKey`: the table key (`id`) plus the index's partition and sort keys.
 */
export type IndexPositionKey = Readonly<{ id: string; createdAtMs: number } & Record<string, string | number>>;

/** Which index serves a request list, and the filters left for DynamoDB to apply after reading. */
export interface RequestListPlan {
  index: RequestLogIndex;
  /** The partition to read, or null for `byDay`, whose partitions (days) are walked newest first. */
  partition: string | null;
  /** The filters not already answered by the partition key. */
  residualFilters: RequestFilters;
}

/**
 * Picks the index that reads the fewest items for the filters: a session is the narrowest
 * partition, then a user, else every request of each day in the window.
 */
export function planRequestList(filters: RequestFilters): RequestListPlan {
  if (filters.sessionId !== undefined) {
    const { sessionId, ...residualFilters } = filters;
    return { index: 'bySession', partition: sessionId, residualFilters };
  }
  if (filters.userId !== undefined) {
    const { userId, ...residualFilters } = filters;
    return { index: 'byUser', partition: userId, residualFilters };
  }
  return { index: 'byDay', partition: null, residualFilters: filters };
}

/** The index position of a record, to resume right after it. */
export function positionKeyOf(
  index: RequestLogIndex,
  record: { id: string; createdAtMs: number; userId: string | null; sessionId: string | null },
): IndexPositionKey {
  const partition = index === 'byDay' ? utcDay(record.createdAtMs) : index === 'byUser' ? record.userId : record.sessionId;
  if (partition === null) throw new Error(`record ${record.id} is not in index ${index}`);
  return { id: record.id, [indexPartitionAttribute(index)]: partition, [INDEX_SORT_ATTRIBUTE]: record.createdAtMs };
}

/** The `byDay` partitions a window touches, newest first. */
export function daysNewestFirst(window: TimeWindow): string[] {
  if (window.fromMs >= window.toMs) return [];
  const days: string[] = [];
  const oldest = utcDay(window.fromMs);
  for (let dayStart = Date.parse(`${utcDay(window.toMs - 1)}T00:00:00Z`); ; dayStart -= DAY_MS) {
    const day = utcDay(dayStart);
    days.push(day);
    if (day === oldest) return days;
  }
}
