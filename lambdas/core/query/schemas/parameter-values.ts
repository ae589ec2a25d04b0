import * as z from 'zod';

/**
 * The values of query and path parameters. Each schema validates, converts and documents one
 * parameter, and every problem it reports is a whole message that starts with the parameter's
 * name, so the 400 a client gets says what to fix. A query value arrives as a string, or as an
 * array of strings when the parameter was repeated.
 */

// Inclusive bounds of what JavaScript dates can represent; anything outside is a typo, not a query.
const MAX_EPOCH_MS = 8.64e15;
const EPOCH_MS = /^\d{1,16}$/;
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Text filters longer than any value Lookout stores cannot match anything. */
const MAX_TEXT_FILTER_LENGTH = 256;
/** DynamoDB refuses (500, not 400) key values over 2048 bytes; Lookout's ids are at most 256 characters anyway. */
const MAX_KEY_BYTES = 1024;

/** An instant as epoch milliseconds, with the text it was given as (for messages that quote it). */
export interface Instant {
  ms: number;
  text: string;
}

/** The first step of every query parameter: given at most once, trimmed, and not blank. */
export function singleValue(name: string) {
  return (raw: unknown, ctx: z.RefinementCtx): unknown => {
    if (Array.isArray(raw)) {
      ctx.addIssue({ code: 'custom', message: `${name} may be given only once` });
      return z.NEVER;
    }
    if (typeof raw !== 'string') return raw;
    const value = raw.trim();
    if (value === '') {
      ctx.addIssue({ code: 'custom', message: `${name} must not be empty` });
      return z.NEVER;
    }
    return value;
  };
}

/** An optional text parameter of at most `maxLength` characters. */
export function textParameter(name: string, maxLength = MAX_TEXT_FILTER_LENGTH) {
  return z
    .preprocess(singleValue(name), z.string().max(maxLength, { error: `${name} must be at most ${maxLength} characters` }))
    .optional();
}

/** An optional instant: epoch milliseconds or ISO-8601 (a date alone is midnight UTC; a time needs Z or an offset). */
export function instantParameter(name: string) {
  return z
    .preprocess(
      singleValue(name),
      z.string().transform((text, ctx): Instant => {
        const problem = (message: string) => {
          ctx.addIssue({ code: 'custom', message: `${name} ${message}, got "${text}"` });
          return z.NEVER;
        };
        if (EPOCH_MS.test(text)) return Number(text) > MAX_EPOCH_MS ? problem('is out of range') : { ms: Number(text), text };
        const match = ISO_INSTANT.exec(text);
        if (!match) return problem('must be epoch milliseconds or ISO-8601 (2025-01-31 or 2025-01-31T12:00:00Z, with Z or an offset)');
        const [, year, month, day, hour = '00', minute = '00', second = '00'] = match;
        // Date.parse rolls 2025-02-30 over to March 2 instead of refusing it.
        const midnight = Date.UTC(Number(year), Number(month) - 1, Number(day));
        const calendarDayExists = new Date(midnight).getUTCDate() === Number(day) && Number(month) >= 1 && Number(month) <= 12;
        const ms = Date.parse(match[4] === undefined ? `${text}T00:00:00Z` : text);
        if (!calendarDayExists || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || Number.isNaN(ms)) {
          return problem('is not a valid date and time');
        }
        return { ms, text };
      }),
    )
    .optional();
}

/** `limit`: an integer from 1 to `max`, `fallback` when absent. */
export function limitParameter(fallback: number, max: number) {
  const error = (issue: { input?: unknown }) => `limit must be an integer from 1 to ${max}, got "${String(issue.input)}"`;
  const readLimit = singleValue('limit');
  return z
    .preprocess(
      (raw, ctx) => {
        const value = readLimit(raw, ctx);
        // Anything but a limit in range stays text, for the number schema to refuse quoting it as given.
        const limit = typeof value === 'string' && /^\d{1,7}$/.test(value) ? Number(value) : Number.NaN;
        return limit >= 1 && limit <= max ? limit : value;
      },
      // The bounds document the parameter; a value outside them never gets here as a number.
      z.number({ error }).int().min(1).max(max),
    )
    .default(fallback);
}

/** An optional `true` / `false` parameter. */
export function booleanParameter(name: string) {
  const readBoolean = singleValue(name);
  return z
    .preprocess(
      (raw, ctx) => {
        const value = readBoolean(raw, ctx);
        return value === 'true' ? true : value === 'false' ? false : value;
      },
      z.boolean({ error: (issue) => `${name} must be "true" or "false", got "${String(issue.input)}"` }),
    )
    .optional();
}

/** `status=`: `ok` (2xx/3xx that completed), `error` (everything else) or one HTTP status code. */
export function statusFilterParameter() {
  const readStatus = singleValue('status');
  return z
    .preprocess(
      (raw, ctx) => {
        const value = readStatus(raw, ctx);
        return typeof value === 'string' && /^[1-5]\d\d$/.test(value) ? Number(value) : value;
      },
      z.union([z.enum(['ok', 'error']), z.int().min(100).max(599)], {
        error: (issue) => `status must be "ok", "error" or an HTTP status code from 100 to 599, got "${String(issue.input)}"`,
      }),
    )
    .optional();
}

/**
 * An id captured from the path, already percent-decoded by the router; `label` names it in
 * messages (`user id`). It is used as an index key, so it must fit one.
 */
export function pathIdParameter(label: string) {
  return z
    .string()
    .refine((value) => value.trim() !== '', { error: `${label} must not be empty`, abort: true })
    .refine((value) => Buffer.byteLength(value, 'utf8') <= MAX_KEY_BYTES, { error: `${label} must be at most ${MAX_KEY_BYTES} bytes` });
}
