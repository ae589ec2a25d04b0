import { utcDay, type RequestLogRecord } from '../../core/request-log/request-log-record.js';

/**
 * The request-log table's item shape. Index keys: `day` (byDay), `userId` (byUser), `sessionId`
 * (bySession), each sorted by `createdAtMs`; null fields are left out, so the user and session
 * indexes stay sparse. `expiresAt` (epoch seconds) is the table's TTL. The way back, item to
 * record, is parsed with zod in `request-log-item.ts`; this half is apart so that the gateway,
 * which only writes, does not bundle the read schemas.
 */

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
