import type { SentHeader } from './header-names.js';
import { invalidHeader } from './header-values.js';
import { parseTargetUrl } from './target-url.js';

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

/**
 * Parses Helicone's `Fallbacks` header: a JSON array of
 * `{ "target-url", "headers", "onCodes": [429, {"from": 500, "to": 599}], "bodyKeyOverride"? }`,
 * tried in order.
 */
export function parseFallbacks(header: SentHeader): readonly UpstreamFallback[] {
  if (header.value.length > MAX_FALLBACKS_LENGTH) {
    throw invalidHeader(`${header.name} must be at most ${MAX_FALLBACKS_LENGTH} characters`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(header.value);
  } catch {
    throw invalidHeader(`${header.name} must be a JSON array of fallbacks`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw invalidHeader(`${header.name} must be a non-empty JSON array of fallbacks`);
  }
  if (parsed.length > MAX_FALLBACKS) {
    throw invalidHeader(`${header.name} may list at most ${MAX_FALLBACKS} fallbacks`);
  }
  return parsed.map((entry: unknown, index) => parseFallback(entry, `${header.name}[${index}]`));
}

function parseFallback(entry: unknown, where: string): UpstreamFallback {
  if (!isPlainObject(entry)) throw invalidHeader(`${where} must be an object`);
  const targetUrl = entry['target-url'];
  if (typeof targetUrl !== 'string') throw invalidHeader(`${where}.target-url must be a string`);
  return {
    targetUrl: parseTargetUrl(targetUrl, `${where}.target-url`),
    headers: parseFallbackHeaders(entry.headers, `${where}.headers`),
    onStatusCodes: parseStatusCodes(entry.onCodes, `${where}.onCodes`),
    bodyKeyOverride: parseBodyKeyOverride(entry.bodyKeyOverride, `${where}.bodyKeyOverride`),
  };
}

function parseFallbackHeaders(value: unknown, where: string): Record<string, string> {
  if (!isPlainObject(value)) throw invalidHeader(`${where} must be an object of header names to strings`);
  const entries = Object.entries(value);
  if (entries.length > MAX_FALLBACK_HEADERS) {
    throw invalidHeader(`${where} may have at most ${MAX_FALLBACK_HEADERS} headers`);
  }
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of entries) {
    if (!HTTP_TOKEN.test(name)) throw invalidHeader(`${where} has an invalid header name`);
    if (
      typeof headerValue !== 'string' ||
      headerValue.length > MAX_FALLBACK_HEADER_VALUE_LENGTH ||
      FORBIDDEN_IN_HEADER_VALUE.test(headerValue)
    ) {
      // The value is not quoted: it is usually an API key.
      throw invalidHeader(`${where}.${name} must be a header value string`);
    }
    // Lower-cased like every other header map in the gateway, so lookups never miss on case.
    headers[name.toLowerCase()] = headerValue;
  }
  return headers;
}

function parseStatusCodes(value: unknown, where: string): StatusCodeRange[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidHeader(`${where} must be a non-empty array of status codes or {"from","to"} ranges`);
  }
  return value.map((code: unknown, index) => {
    if (isStatusCode(code)) return { from: code, to: code };
    if (isPlainObject(code) && isStatusCode(code.from) && isStatusCode(code.to) && code.from <= code.to) {
      return { from: code.from, to: code.to };
    }
    throw invalidHeader(`${where}[${index}] must be a status code (100-599) or {"from","to"} with from <= to`);
  });
}

function parseBodyKeyOverride(value: unknown, where: string): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (!isPlainObject(value)) throw invalidHeader(`${where} must be an object`);
  // JSON.parse makes `__proto__` an own key; merged with Object.assign it would swap the body's prototype.
  if (Object.hasOwn(value, '__proto__')) throw invalidHeader(`${where} must not set __proto__`);
  return value;
}

function isStatusCode(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
