import type { RequestLogRecord } from '../request-log/request-log-record.js';
import type { RequestLogWrite } from '../request-log/request-log-write.js';

/** A request's log record as the gateway built it, without its bodies. */
export type LoggedRequestRecord = Omit<RequestLogRecord, 'requestBody' | 'responseBody'>;

/**
 * The gateway's operational metrics (port; CloudWatch EMF in AWS, nothing under `npm start` and
 * in tests). Told once per logged request, after its log write ended, so an invocation emits its
 * metrics in one go and nothing of it runs before the client has the last byte.
 */
export interface GatewayMetrics {
  /** Emits `record`'s metrics and how its log write ended (a write failure, a dead letter); never throws. */
  requestLogged(record: LoggedRequestRecord, logWrite: RequestLogWrite): void;
}
