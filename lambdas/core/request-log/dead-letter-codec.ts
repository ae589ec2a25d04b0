import type { RequestLogRecord, StoredBody } from './request-log-record.js';

/** A log record that could not be written, with bodies carried as gzip bytes until replay. */
export interface DeadLetter {
  record: RequestLogRecord;
  /** Why the write failed the last time, for whoever replays it. */
  reason: string;
  failedAtMs: number;
}

type EncodedBody = { gzipBase64: string } | { s3Key: string } | null;

function encodeBody(body: StoredBody | null): EncodedBody {
  if (body === null) return null;
  return 'gzip' in body ? { gzipBase64: Buffer.from(body.gzip).toString('base64') } : body;
}

function decodeBody(body: EncodedBody | undefined): StoredBody | null {
  if (!body) return null;
  return 'gzipBase64' in body ? { gzip: Buffer.from(body.gzipBase64, 'base64') } : body;
}

/** JSON text for a dead letter (SQS message body or spool file). */
export function encodeDeadLetter(letter: DeadLetter): string {
  const { requestBody, responseBody, ...rest } = letter.record;
  return JSON.stringify({ ...letter, record: { ...rest, requestBody: encodeBody(requestBody), responseBody: encodeBody(responseBody) } });
}

/** Parses a dead letter written by `encodeDeadLetter`; throws on anything else. */
export function decodeDeadLetter(text: string): DeadLetter {
  const parsed = JSON.parse(text) as DeadLetter & { record: { requestBody: EncodedBody; responseBody: EncodedBody } };
  if (typeof parsed?.record?.id !== 'string' || typeof parsed.record.createdAtMs !== 'number') {
    throw new Error('not a Lookout dead letter: record.id or record.createdAtMs missing');
  }
  return { ...parsed, record: { ...parsed.record, requestBody: decodeBody(parsed.record.requestBody), responseBody: decodeBody(parsed.record.responseBody) } };
}
