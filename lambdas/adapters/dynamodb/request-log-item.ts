import { z } from 'zod';
import { usageSampleSchema, type UsageSample } from '../../core/query/usage-totals.js';
import { utcDay, type RequestLogRecord } from '../../core/request-log/request-log-record.js';
import { describeRecordIssues, requestLogFieldsSchema, storedBodySchema } from '../../core/request-log/request-log-record-schema.js';

/**
 * The request-log table's item shape. Index keys: `day` (byDay), `userId` (byUser), `sessionId`
 * (bySession), each sorted by `createdAtMs`; null fields are left out, so the user and session
 * indexes stay sparse. `expiresAt` (epoch seconds) is the table's TTL. Items read back are parsed,
 * not cast: a damaged item is an error that names it and its field, not a crash further on.
 */

const itemSchema = requestLogFieldsSchema.extend({
  requestBody: storedBodySchema.nullable().default(null),
  responseBody: storedBodySchema.nullable().default(null),
}) satisfies z.ZodType<RequestLogRecord>;

/** The item for a record. */
export function requestLogItem(record: RequestLogRecord, retentionDays: number): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...record,
    day: utcDay(record.createdAtMs),
    expiresAt: Math.floor(record.createdAtMs / 1000) + retentionDays * 86_400,
  };
  for (const [name, value] of Object.entries(item)) if (value === null) delete item[name];
  return item;
}

/** The record stored in an item (the inverse of `requestLogItem`); the table-only attributes are dropped. */
export function requestLogRecordFromItem(item: Record<string, unknown>): RequestLogRecord {
  return parsedItem(itemSchema, item);
}

/** The attributes to read for a `UsageSample`, so aggregations skip the bodies and properties. */
export const USAGE_SAMPLE_ATTRIBUTES: readonly string[] = Object.keys(usageSampleSchema.shape);

/** A `UsageSample` from an item read with `USAGE_SAMPLE_ATTRIBUTES`, missing attributes as null. */
export function usageSampleFromItem(item: Record<string, unknown>): UsageSample {
  return parsedItem(usageSampleSchema, item);
}

function parsedItem<T>(schema: z.ZodType<T>, item: Record<string, unknown>): T {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  const id = typeof item.id === 'string' ? `"${item.id}"` : '(without an id)';
  throw new Error(`request-log item ${id} is not a request log record: ${describeRecordIssues(parsed.error.issues)}`);
}
