import { invalidParameter } from './invalid-parameter.js';

/** The query string of one API call, as parsed from the raw query (repeated names kept). */
export type QueryParameters = URLSearchParams;

// Inclusive bounds of what JavaScript dates can represent; anything outside is a typo, not a query.
const MAX_EPOCH_MS = 8.64e15;
const EPOCH_MS = /^\d{1,16}$/;
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Parses a raw query string (without `?`), keeping repeated parameters. */
export function parseQueryString(rawQuery: string): QueryParameters {
  return new URLSearchParams(rawQuery);
}

/**
 * Rejects any parameter an endpoint does not know, by name: a misspelt filter (`userid`) that
 * was silently ignored would return unfiltered data that looks filtered.
 */
export function rejectUnknownParameters(params: QueryParameters, isKnown: (name: string) => boolean): void {
  for (const name of params.keys()) {
    if (!isKnown(name)) throw invalidParameter(`${name} is not a parameter of this endpoint`);
  }
}

/** The single value of a parameter, or undefined when absent; repeating it or leaving it blank is a 400. */
export function singleParameter(params: QueryParameters, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length === 0) return undefined;
  if (values.length > 1) throw invalidParameter(`${name} may be given only once`);
  const value = values[0]!.trim();
  if (value === '') throw invalidParameter(`${name} must not be empty`);
  return value;
}

/** `limit`: an integer in `[1, max]`, `fallback` when absent. */
export function parseLimitParameter(params: QueryParameters, fallback: number, max: number): number {
  const raw = singleParameter(params, 'limit');
  if (raw === undefined) return fallback;
  const limit = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= max)) throw invalidParameter(`limit must be an integer from 1 to ${max}, got "${raw}"`);
  return limit;
}

/** Parses an instant given as epoch milliseconds or ISO-8601 (a date alone is midnight UTC). */
export function parseInstant(name: string, raw: string): number {
  if (EPOCH_MS.test(raw)) {
    const ms = Number(raw);
    if (ms > MAX_EPOCH_MS) throw invalidParameter(`${name} is out of range, got "${raw}"`);
    return ms;
  }
  const match = ISO_INSTANT.exec(raw);
  if (!match) {
    throw invalidParameter(
      `${name} must be epoch milliseconds or ISO-8601 (2025-01-31 or 2025-01-31T12:00:00Z, with Z or an offset), got "${raw}"`,
    );
  }
  const [, year, month, day, hour = '00', minute = '00', second = '00'] = match;
  // Date.parse rolls 2025-02-30 over to March 2 instead of refusing it.
  const midnight = Date.UTC(Number(year), Number(month) - 1, Number(day));
  const calendarDayExists = new Date(midnight).getUTCDate() === Number(day) && Number(month) >= 1 && Number(month) <= 12;
  if (!calendarDayExists || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    throw invalidParameter(`${name} is not a valid date and time, got "${raw}"`);
  }
  const ms = Date.parse(match[4] === undefined ? `${raw}T00:00:00Z` : raw);
  if (Number.isNaN(ms)) throw invalidParameter(`${name} is not a valid date and time, got "${raw}"`);
  return ms;
}

/** The `from` / `to` the caller gave, each undefined when absent; `from` after `to` is a 400. */
export function parseExplicitWindow(params: QueryParameters): { fromMs: number | undefined; toMs: number | undefined } {
  const from = singleParameter(params, 'from');
  const to = singleParameter(params, 'to');
  const fromMs = from === undefined ? undefined : parseInstant('from', from);
  const toMs = to === undefined ? undefined : parseInstant('to', to);
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
    throw invalidParameter(`from must not be after to (from ${from}, to ${to})`);
  }
  return { fromMs, toMs };
}

/** A path segment captured by a route, percent-decoded (API Gateway's REST `path` keeps the encoding). */
export function decodePathSegment(name: string, raw: string): string {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    // An id that contains a literal `%` arrives already decoded from some runtimes.
    value = raw;
  }
  if (value.trim() === '') throw invalidParameter(`${name} must not be empty`);
  return checkedKeyValue(name, value);
}

/** A user or session id used as an index key: DynamoDB refuses (500, not 400) key values over 2048 bytes. */
export function checkedKeyValue(name: string, value: string): string {
  // Lookout stores ids of at most 256 characters, so a longer one cannot match anything anyway.
  if (Buffer.byteLength(value, 'utf8') > 1024) throw invalidParameter(`${name} must be at most 1024 bytes`);
  return value;
}
