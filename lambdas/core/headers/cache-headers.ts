import { MAX_CACHE_TTL_SECONDS } from '../../contract/bucket-layout.js';
import { readAliasedHeader, readPlainHeader, type RequestHeaderMap, type SentHeader } from './header-names.js';
import { invalidHeader, parseBooleanHeader, parseIntegerHeader, parseTextHeader } from './header-values.js';

/** What the client asked of the response cache, present only when it reads or saves. */
export interface CacheOptions {
  /** Answer from the cache on a hit: `Cache-Enabled: true` or `Cache-Read: true`. */
  readonly read: boolean;
  /** Store the upstream response: `Cache-Enabled: true` or `Cache-Save: true`. */
  readonly save: boolean;
  /** `Cache-Seed`: a namespace, so different seeds never share entries. */
  readonly seed: string | null;
  /** `Cache-Bucket-Max-Size`: how many different responses one request may collect (1 to 20). */
  readonly bucketMaxSize: number;
  /** From `Cache-Control` (`s-maxage`, else `max-age`); 7 days when neither is given. */
  readonly ttlSeconds: number;
  /** `Cache-Ignore-Keys`: top-level JSON body keys left out of the cache key. */
  readonly ignoreKeys: readonly string[];
}

// Helicone's documented defaults and limits, so a migrating client gets the same behaviour.
export const DEFAULT_CACHE_TTL_SECONDS = 7 * 24 * 60 * 60;
export { MAX_CACHE_TTL_SECONDS };
export const MAX_CACHE_BUCKET_SIZE = 20;
const MAX_CACHE_SEED_LENGTH = 256;
const MAX_IGNORED_KEYS = 64;
const MAX_IGNORED_KEY_LENGTH = 256;

/**
 * Parses `Cache-Enabled`, `Cache-Read`, `Cache-Save`, `Cache-Seed`, `Cache-Bucket-Max-Size`,
 * `Cache-Ignore-Keys` and,
 * only when the cache is used, the standard `Cache-Control` header for the TTL. Returns null
 * when the request neither reads nor saves. Lookout cache headers are validated even then, so a
 * typo fails now rather than on the day someone turns the cache on.
 */
export function parseCacheHeaders(headers: RequestHeaderMap): CacheOptions | null {
  const enabled = readOptionalBoolean(readAliasedHeader(headers, 'Cache-Enabled'));
  const readOnly = readOptionalBoolean(readAliasedHeader(headers, 'Cache-Read'));
  const saveOnly = readOptionalBoolean(readAliasedHeader(headers, 'Cache-Save'));
  const seedHeader = readAliasedHeader(headers, 'Cache-Seed');
  const seed = seedHeader ? parseTextHeader(seedHeader, MAX_CACHE_SEED_LENGTH) : null;
  const bucketHeader = readAliasedHeader(headers, 'Cache-Bucket-Max-Size');
  const bucketMaxSize = bucketHeader ? parseIntegerHeader(bucketHeader, 1, MAX_CACHE_BUCKET_SIZE) : 1;
  const ignoreKeysHeader = readAliasedHeader(headers, 'Cache-Ignore-Keys');
  const ignoreKeys = ignoreKeysHeader ? parseIgnoreKeys(ignoreKeysHeader) : [];

  const read = enabled || readOnly;
  const save = enabled || saveOnly;
  if (!read && !save) return null;
  // Cache-Control is an ordinary HTTP header the client may send for other reasons, so it is
  // only interpreted (and only rejected) when the request actually uses the cache.
  const cacheControl = readPlainHeader(headers, 'Cache-Control');
  const ttlSeconds = cacheControl ? parseCacheTtl(cacheControl) : DEFAULT_CACHE_TTL_SECONDS;
  return { read, save, seed, bucketMaxSize, ttlSeconds, ignoreKeys };
}

/** A comma-separated list of top-level body keys (`temperature, user`); blank items are skipped. */
function parseIgnoreKeys(header: SentHeader): string[] {
  const keys = parseTextHeader(header, MAX_IGNORED_KEYS * (MAX_IGNORED_KEY_LENGTH + 1))
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
  if (keys.length > MAX_IGNORED_KEYS || keys.some((key) => key.length > MAX_IGNORED_KEY_LENGTH)) {
    throw invalidHeader(
      `${header.name} must list at most ${MAX_IGNORED_KEYS} body keys of at most ${MAX_IGNORED_KEY_LENGTH} characters each`,
    );
  }
  return [...new Set(keys)];
}

/**
 * The cache TTL from a `Cache-Control` value: `s-maxage` (the directive meant for shared caches
 * like this gateway) before `max-age`, the default when neither is present. A TTL over a year
 * or of zero is rejected rather than clamped as Helicone does, because it is almost certainly
 * a units mistake (milliseconds) or a contradiction (cache this for no time).
 */
export function parseCacheTtl(header: SentHeader): number {
  const directives = parseCacheControlDirectives(header.value);
  const directive = directives.has('s-maxage') ? 's-maxage' : directives.has('max-age') ? 'max-age' : null;
  if (directive === null) return DEFAULT_CACHE_TTL_SECONDS;
  const text = directives.get(directive) ?? '';
  const seconds = /^\d{1,12}$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_CACHE_TTL_SECONDS)) {
    throw invalidHeader(
      `${header.name} ${directive} must be whole seconds from 1 to ${MAX_CACHE_TTL_SECONDS} (365 days) when the cache is enabled`,
    );
  }
  return seconds;
}

/** Directive names lower-cased; the first occurrence of a repeated directive wins (RFC 9111 §4.2.1). */
function parseCacheControlDirectives(value: string): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of value.split(',')) {
    const [rawName = '', ...rest] = part.split('=');
    const name = rawName.trim().toLowerCase();
    if (!name || directives.has(name)) continue;
    directives.set(
      name,
      rest
        .join('=')
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    );
  }
  return directives;
}

function readOptionalBoolean(header: SentHeader | null): boolean {
  return header ? parseBooleanHeader(header) : false;
}
