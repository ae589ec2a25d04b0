import * as z from 'zod';
import type { SentHeader } from './header-names.js';
import { invalidHeader } from './header-values.js';
import { targetUrlSchema } from './target-url.js';

/** An inclusive range of upstream HTTP statuses; a single code is a range of one. */
export interface StatusCodeRange {
  readonly from: number;
  readonly to: number;
}

/** One entry of `Fallbacks`: where to send the request when the previous upstream answers a listed status. */
export interface UpstreamFallback {
  /** The fallback's `target-url`; like `Target-URL`, the allowlist is checked where it is called. */
  readonly targetUrl: URL;
  /**
   * Headers sent to this upstream, usually its API key. They are credentials: never log them,
   * and never log the raw `Fallbacks` header.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** `onCodes`: statuses of the previous attempt that make the gateway try this fallback. */
  readonly onStatusCodes: readonly StatusCodeRange[];
  /** `bodyKeyOverride`: top-level body fields to replace (e.g. `model`) for this upstream. */
  readonly bodyKeyOverride: Readonly<Record<string, unknown>> | null;
}

// The whole header is bounded before JSON.parse so a huge value costs nothing; API Gateway
// caps all request headers together at 10 KiB anyway.
const MAX_FALLBACKS_LENGTH = 8 * 1024;
const MAX_FALLBACKS = 5;
const MAX_FALLBACK_HEADERS = 32;
const MAX_FALLBACK_HEADER_VALUE_LENGTH = 4096;
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_IN_HEADER_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/;

// Every message is a phrase the path of the offending field is put in front of
// (`Lookout-Fallbacks[0].onCodes[1] must be ...`), so the client finds the mistake.

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const objectOfHeaders = 'must be an object of header names to strings';
// The value is never quoted in a message: it is usually an API key.
const headerValue = 'must be a header value string';
const fallbackHeadersSchema = z
  .record(z.string(), z.unknown(), { error: objectOfHeaders })
  .refine((headers) => Object.keys(headers).length <= MAX_FALLBACK_HEADERS, { error: `may have at most ${MAX_FALLBACK_HEADERS} headers` })
  .pipe(
    z.record(
      z.string().regex(HTTP_TOKEN, { error: 'has an invalid header name' }),
      z
        .string({ error: headerValue })
        .max(MAX_FALLBACK_HEADER_VALUE_LENGTH, { error: headerValue })
        .refine((value) => !FORBIDDEN_IN_HEADER_VALUE.test(value), { error: headerValue }),
    ),
  )
  .transform((headers) => {
    // Lower-cased like every other header map in the gateway, so lookups never miss on case.
    const lowerCased: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) lowerCased[name.toLowerCase()] = value;
    return lowerCased;
  });

const statusCodeOrRange = 'must be a status code (100-599) or {"from","to"} with from <= to';
// `abort` makes every failed check fail its union option outright, so a bad range is reported
// with the one message below rather than as the inner issue of the option that came closest.
const statusCode = z.int().min(100, { abort: true }).max(599, { abort: true });
const statusCodeRangeSchema = z.union(
  [
    statusCode.transform((code): StatusCodeRange => ({ from: code, to: code })),
    z.object({ from: statusCode, to: statusCode }).refine((range) => range.from <= range.to, { abort: true }),
  ],
  { error: statusCodeOrRange },
);

const nonEmptyStatusCodes = 'must be a non-empty array of status codes or {"from","to"} ranges';
const onCodesSchema = z.array(statusCodeRangeSchema, { error: nonEmptyStatusCodes }).min(1, { error: nonEmptyStatusCodes });

const bodyKeyOverrideSchema = z
  .custom<Record<string, unknown>>(isPlainObject, { error: 'must be an object' })
  // JSON.parse makes `__proto__` an own key; merged with Object.assign it would swap the body's prototype.
  .refine((override) => !Object.hasOwn(override, '__proto__'), { error: 'must not set __proto__' })
  .nullish()
  .transform((override) => override ?? null);

const fallbackSchema = z
  .object(
    {
      'target-url': targetUrlSchema,
      headers: fallbackHeadersSchema,
      onCodes: onCodesSchema,
      bodyKeyOverride: bodyKeyOverrideSchema,
    },
    { error: 'must be an object' },
  )
  .transform(
    (entry): UpstreamFallback => ({
      targetUrl: entry['target-url'],
      headers: entry.headers,
      onStatusCodes: entry.onCodes,
      bodyKeyOverride: entry.bodyKeyOverride,
    }),
  );

const nonEmptyArray = 'must be a non-empty JSON array of fallbacks';
// The count is checked before any entry is read, so a long list fails on its length alone.
const fallbacksSchema = z
  .array(z.unknown(), { error: nonEmptyArray })
  .min(1, { error: nonEmptyArray })
  .max(MAX_FALLBACKS, { error: `may list at most ${MAX_FALLBACKS} fallbacks` })
  .pipe(z.array(fallbackSchema));

/**
 * Parses Helicone's `Fallbacks` header: a JSON array of
 * `{ "target-url", "headers", "onCodes": [429, {"from": 500, "to": 599}], "bodyKeyOverride"? }`,
 * tried in order.
 */
export function parseFallbacks(header: SentHeader): readonly UpstreamFallback[] {
  if (header.value.length > MAX_FALLBACKS_LENGTH) {
    throw invalidHeader(`${header.name} must be at most ${MAX_FALLBACKS_LENGTH} characters`);
  }
  let json: unknown;
  try {
    json = JSON.parse(header.value);
  } catch {
    throw invalidHeader(`${header.name} must be a JSON array of fallbacks`);
  }
  const parsed = fallbacksSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw invalidHeader(firstProblem(header.name, parsed.error.issues));
}

/** The first issue as `<header>[i].field message`; fields are checked in the order they are documented. */
function firstProblem(headerName: string, issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0]!;
  // A bad header name is reported at its object, without quoting the name.
  if (issue.code === 'invalid_key') return `${headerName}${fieldPath(issue.path.slice(0, -1))} ${issue.issues[0]?.message}`;
  return `${headerName}${fieldPath(issue.path)} ${issue.message}`;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
}
