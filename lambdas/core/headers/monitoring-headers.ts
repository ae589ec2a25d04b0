/**
 * Every Lookout request header, parsed and validated in one place.
 *
 * Each header is accepted as `Lookout-<X>` (primary) and `Helicone-<X>` (alias), so a Helicone
 * user switches by changing the base URL. When both are sent the Lookout one wins and the
 * Helicone one is ignored, not even validated. A blank value counts as not sent. A malformed
 * value is a `LookoutError` 400 `invalid_header` whose message starts with the header name,
 * spelled with the prefix the client used. Unknown `Lookout-*` / `Helicone-*` headers (Helicone
 * features Lookout does not have) do not fail the request, so migrating clients keep working; the
 * answer names them (see `headers-not-acted-on.ts`).
 */
import { readAliasedHeader, type RequestHeaderMap, type SentHeader } from './header-names.js';
import { invalidHeader, parseBooleanHeader, parseTextHeader } from './header-values.js';
import { parseCacheHeaders, type CacheOptions } from './cache-headers.js';
import { parseCustomProperties } from './custom-properties.js';
import { parseFallbacks, type UpstreamFallback } from './fallbacks.js';
import { parseRateLimitPolicy, type RateLimitPolicy } from './rate-limit-policy.js';
import { parseRetryHeaders, type RetryOptions } from './retry-headers.js';
import { parseTargetUrl } from './target-url.js';

export { isLookoutHeader, type RequestHeaderMap } from './header-names.js';
export type { CacheOptions } from './cache-headers.js';
export type { StatusCodeRange, UpstreamFallback } from './fallbacks.js';
export type { RateLimitPolicy, RateLimitSegment } from './rate-limit-policy.js';
export type { RetryOptions } from './retry-headers.js';

/** What the request headers ask of Lookout. */
export interface MonitoringHeaders {
  /** The key from `Auth: Bearer <key>`; null when not sent (the handler answers 401). */
  readonly gatewayKey: string | null;
  /** `User-Id`; see `resolveUserId` for the body fallback. */
  readonly userId: string | null;
  /** `Property-<Name>` headers, names lower-cased. */
  readonly properties: Readonly<Record<string, string>>;
  readonly sessionId: string | null;
  /** `Session-Path`, e.g. `/plan/outline/chapter-1`: the request's place in the session trace. */
  readonly sessionPath: string | null;
  readonly sessionName: string | null;
  /** `Request-Id`, lower-cased; becomes the log id instead of a generated one. */
  readonly requestId: string | null;
  /** `Omit-Request`: do not store the request body. */
  readonly omitRequest: boolean;
  /** `Omit-Response`: do not store the response body. */
  readonly omitResponse: boolean;
  readonly promptId: string | null;
  /** `Target-URL` for the generic route; only its shape is checked here, not the allowlist. */
  readonly targetUrl: URL | null;
  /** Null when the request neither reads nor writes the cache. */
  readonly cache: CacheOptions | null;
  readonly rateLimitPolicy: RateLimitPolicy | null;
  /** Null unless `Retry-Enabled: true`. */
  readonly retry: RetryOptions | null;
  /** `Fallbacks`, in the order to try them; null when not sent. */
  readonly fallbacks: readonly UpstreamFallback[] | null;
}

// Bounds on what ends up in every log item and rollup key; generous for real ids and names.
export const MAX_USER_ID_LENGTH = 256;
const MAX_GATEWAY_KEY_LENGTH = 512;
const MAX_SESSION_ID_LENGTH = 256;
const MAX_SESSION_NAME_LENGTH = 256;
const MAX_SESSION_PATH_LENGTH = 512;
const MAX_PROMPT_ID_LENGTH = 128;

const BEARER = /^bearer +([\x21-\x7e]+)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SESSION_PATH = /^(\/[^/]+)+$/;
// Helicone documents ids such as `this is the first prompt`, so spaces are allowed.
const PROMPT_ID = /^[A-Za-z0-9][A-Za-z0-9 _.:-]*$/;

/** Parses and validates every Lookout / Helicone request header; throws a 400 `LookoutError` naming the first bad one. */
export function parseMonitoringHeaders(headers: RequestHeaderMap): MonitoringHeaders {
  const read = (suffix: string) => readAliasedHeader(headers, suffix);
  const text = (suffix: string, maxLength: number) => {
    const header = read(suffix);
    return header ? parseTextHeader(header, maxLength) : null;
  };
  const flag = (suffix: string) => {
    const header = read(suffix);
    return header ? parseBooleanHeader(header) : false;
  };
  const auth = read('Auth');
  const sessionPath = read('Session-Path');
  const requestId = read('Request-Id');
  const promptId = read('Prompt-Id');
  const targetUrl = read('Target-URL');
  const rateLimitPolicy = read('RateLimit-Policy');
  const fallbacks = read('Fallbacks');
  return {
    gatewayKey: auth ? parseGatewayKey(auth) : null,
    userId: text('User-Id', MAX_USER_ID_LENGTH),
    properties: parseCustomProperties(headers),
    sessionId: text('Session-Id', MAX_SESSION_ID_LENGTH),
    sessionPath: sessionPath ? parseSessionPath(sessionPath) : null,
    sessionName: text('Session-Name', MAX_SESSION_NAME_LENGTH),
    requestId: requestId ? parseRequestId(requestId) : null,
    omitRequest: flag('Omit-Request'),
    omitResponse: flag('Omit-Response'),
    promptId: promptId ? parsePromptId(promptId) : null,
    targetUrl: targetUrl ? parseTargetUrl(targetUrl.value, targetUrl.name) : null,
    cache: parseCacheHeaders(headers),
    rateLimitPolicy: rateLimitPolicy ? parseRateLimitPolicy(rateLimitPolicy) : null,
    retry: parseRetryHeaders(headers),
    fallbacks: fallbacks ? parseFallbacks(fallbacks) : null,
  };
}

/**
 * The user to attribute a request to: `User-Id` first, else the body's OpenAI `user` field,
 * else Anthropic's `metadata.user_id`. Body values that are not usable ids (not a string, blank,
 * too long, control characters) are ignored rather than rejected: the body belongs to the
 * provider's API, which decides whether the request itself is valid.
 */
export function resolveUserId(headers: Pick<MonitoringHeaders, 'userId'>, body: unknown): string | null {
  if (headers.userId !== null) return headers.userId;
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const metadata = record.metadata;
  const anthropicUserId = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>).user_id : undefined;
  return usableUserId(record.user) ?? usableUserId(anthropicUserId);
}

function usableUserId(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > MAX_USER_ID_LENGTH || /[\u0000-\u001f\u007f]/.test(trimmed)) return null;
  return trimmed;
}

function parseGatewayKey(header: SentHeader): string {
  const key = BEARER.exec(header.value)?.[1];
  // The value is never quoted back: it is a secret, possibly a provider key sent by mistake.
  if (!key) throw invalidHeader(`${header.name} must be "Bearer <gateway key>"`);
  if (key.length > MAX_GATEWAY_KEY_LENGTH) {
    throw invalidHeader(`${header.name} key must be at most ${MAX_GATEWAY_KEY_LENGTH} characters`);
  }
  return key;
}

function parseSessionPath(header: SentHeader): string {
  const path = parseTextHeader(header, MAX_SESSION_PATH_LENGTH);
  if (!SESSION_PATH.test(path)) throw invalidHeader(`${header.name} must be a path like /a/b/c`);
  return path;
}

function parseRequestId(header: SentHeader): string {
  // Helicone silently replaces a bad id with a random one; Lookout refuses it, because a client
  // that sends an id expects to find its log under that id.
  if (!UUID.test(header.value)) throw invalidHeader(`${header.name} must be a UUID`);
  return header.value.toLowerCase();
}

function parsePromptId(header: SentHeader): string {
  const promptId = parseTextHeader(header, MAX_PROMPT_ID_LENGTH);
  if (!PROMPT_ID.test(promptId)) {
    throw invalidHeader(`${header.name} may contain only letters, digits, spaces and - _ . : (starting with a letter or digit)`);
  }
  return promptId;
}
