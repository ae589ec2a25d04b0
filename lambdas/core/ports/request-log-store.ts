import type { RequestLogRecord } from '../request-log/request-log-record.js';

/** The write side of the request log (port; the DynamoDB adapter implements it). */
export interface RequestLogStore {
  /** Stores the record unless its id is already stored (then returns false). */
  putOnce(record: RequestLogRecord): Promise<boolean>;
}
