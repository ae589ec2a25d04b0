import * as z from 'zod';
import type { CacheStatus } from '../cache/cache-lookup.js';
import type { RequestLogRecord, RequestOutcome, StoredBody } from './request-log-record.js';

// An object rather than a list, so that `satisfies` fails to compile when an outcome is missing.
const OUTCOMES = {
  completed: 'completed',
  cancelled: 'cancelled',
  timeout: 'timeout',
  upstream_error: 'upstream_error',
  rejected: 'rejected',
} as const satisfies { [Outcome in RequestOutcome]: Outcome };

/** How a logged request ended (`RequestOutcome`). */
export const requestOutcomeSchema = z.enum(OUTCOMES);

const CACHE_STATUSES = { hit: 'hit', miss: 'miss', unavailable: 'unavailable' } as const satisfies {
  [Status in CacheStatus]: Status;
};

const nullableText = z.string().nullable().default(null);
const nullableCount = z.number().int().nullable().default(null);

/**
 * A logged request's fields (bodies aside) as a store hands them back, checked, since what comes
 * back from a table or a dead-letter queue is data, not a promise. Fields that records written by
 * older versions lack, and null fields a store leaves out, get the value they stand for.
 */
export const requestLogFieldsSchema = z.object({
  id: z.string().min(1),
  createdAtMs: z.number().int(),
  provider: z.string(),
  model: nullableText,
  method: z.string(),
  path: z.string(),
  status: z.number().int(),
  outcome: requestOutcomeSchema,
  errorCode: nullableText,
  stream: z.boolean(),
  latencyMs: z.number().int(),
  ttftMs: nullableCount,
  promptTokens: nullableCount,
  completionTokens: nullableCount,
  cachedTokens: nullableCount,
  cacheWriteTokens: nullableCount,
  totalTokens: nullableCount,
  costNanoUsd: nullableCount,
  unpriced: z.boolean().default(false),
  userId: nullableText,
  sessionId: nullableText,
  sessionPath: nullableText,
  sessionName: nullableText,
  promptId: nullableText,
  properties: z.record(z.string(), z.string()).default(() => ({})),
  cacheHit: z.boolean().default(false),
  cacheStatus: z.enum(CACHE_STATUSES).nullable().default(null),
  savedNanoUsd: nullableCount,
  savedPromptTokens: nullableCount,
  savedCompletionTokens: nullableCount,
  savedTotalTokens: nullableCount,
  savedLatencyMs: nullableCount,
  rateLimited: z.boolean().default(false),
  rateLimitedBy: nullableText,
  keyName: nullableText,
  responseBodyTruncated: z.boolean().default(false),
}) satisfies z.ZodType<Omit<RequestLogRecord, 'requestBody' | 'responseBody'>>;

/** A stored body as it is held in memory: bytes as they are, gzip bytes, or the key of its object in the bodies bucket. */
export const storedBodySchema = z.union([
  z.object({ raw: z.instanceof(Uint8Array) }),
  z.object({ gzip: z.instanceof(Uint8Array) }),
  z.object({ s3Key: z.string().min(1) }),
]) satisfies z.ZodType<StoredBody>;

/** The problems of a record that did not parse, one clause per field, for an error message. */
export function describeRecordIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.map(String).join('.') || '(the whole value)'}: ${issue.message}`).join('; ');
}
