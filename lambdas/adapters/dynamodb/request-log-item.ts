import type { z } from 'zod';
import type { RequestLogRecord } from '../../core/request-log/request-log-record.js';
import { describeRecordIssues, requestLogFieldsSchema, storedBodySchema } from '../../core/request-log/request-log-record-schema.js';

/**
 * Request-log items read back (the item shape and the way in are in `request-log-item-shape.ts`).
 * Items are parsed, not cast: a damaged item is an error that names it and its field, not a crash
 * further on.
 */

// Both directions from one module, for the tests and tools that build items to read back.
export { requestLogItem } from './request-log-item-shape.js';

const itemSchema = requestLogFieldsSchema.extend({
  requestBody: storedBodySchema.nullable().default(null),
  responseBody: storedBodySchema.nullable().default(null),
}) satisfies z.ZodType<RequestLogRecord>;

/** The record stored in an item (the inverse of `requestLogItem`); the table-only attributes are dropped. */
export function requestLogRecordFromItem(item: Record<string, unknown>): RequestLogRecord {
  return parsedItem(itemSchema, item);
}

function parsedItem<T>(schema: z.ZodType<T>, item: Record<string, unknown>): T {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  const id = typeof item.id === 'string' ? `"${item.id}"` : '(without an id)';
  throw new Error(`request-log item ${id} is not a request log record: ${describeRecordIssues(parsed.error.issues)}`);
}
