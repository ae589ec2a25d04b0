import * as z from 'zod';
import type { RequestLogRecord, StoredBody } from './request-log-record.js';
import { describeRecordIssues, requestLogFieldsSchema } from './request-log-record-schema.js';

/** A log record that could not be written, with its inline bodies carried along until replay. */
export interface DeadLetter {
  record: RequestLogRecord;
  /** Why the write failed the last time, for whoever replays it. */
  reason: string;
  failedAtMs: number;
}

type EncodedBody = { rawBase64: string } | { gzipBase64: string } | { s3Key: string } | null;

function encodeBody(body: StoredBody | null): EncodedBody {
  if (body === null) return null;
  if ('raw' in body) return { rawBase64: Buffer.from(body.raw).toString('base64') };
  if ('gzip' in body) return { gzipBase64: Buffer.from(body.gzip).toString('base64') };
  return body;
}

const encodedBodySchema = z
  .union([
    z.object({ rawBase64: z.base64() }).transform(({ rawBase64 }): StoredBody => ({ raw: Buffer.from(rawBase64, 'base64') })),
    z.object({ gzipBase64: z.base64() }).transform(({ gzipBase64 }): StoredBody => ({ gzip: Buffer.from(gzipBase64, 'base64') })),
    z.object({ s3Key: z.string().min(1) }),
  ])
  .nullable()
  .default(null);

const deadLetterSchema = z.object({
  record: requestLogFieldsSchema.extend({ requestBody: encodedBodySchema, responseBody: encodedBodySchema }),
  reason: z.string(),
  failedAtMs: z.number(),
}) satisfies z.ZodType<DeadLetter>;

/** JSON text for a dead letter (SQS message body or spool file). */
export function encodeDeadLetter(letter: DeadLetter): string {
  const { requestBody, responseBody, ...rest } = letter.record;
  return JSON.stringify({ ...letter, record: { ...rest, requestBody: encodeBody(requestBody), responseBody: encodeBody(responseBody) } });
}

/**
 * Parses a dead letter written by `encodeDeadLetter`. Anything else (a damaged spool file, a
 * foreign message on the queue) throws an error that says which field is wrong.
 */
export function decodeDeadLetter(text: string): DeadLetter {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not a Lookout dead letter: not JSON (${(error as Error).message})`);
  }
  const parsed = deadLetterSchema.safeParse(json);
  if (!parsed.success) throw new Error(`not a Lookout dead letter: ${describeRecordIssues(parsed.error.issues)}`);
  return parsed.data;
}
