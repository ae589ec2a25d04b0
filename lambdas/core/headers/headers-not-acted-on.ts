/**
 * Helicone headers that Lookout accepts but does not act on yet (retries,
 * fallbacks, model override, PostHog, moderation...), and unknown `Lookout-*` headers. They never
 * fail a request, so a Helicone app keeps working; the answer names them in
 * `Lookout-Ignored-Headers`, so none is dropped silently. As a feature lands, its header moves
 * into `ACTED_ON`.
 */
import type { RequestHeaderMap } from './header-names.js';

const PREFIXES = ['lookout-', 'helicone-'];

/** Header names after the prefix, lower-cased, that change what Lookout does with a request. */
const ACTED_ON: ReadonlySet<string> = new Set([
  'auth',
  'target-url',
  'user-id',
  'session-id',
  'session-path',
  'session-name',
  'request-id',
  'omit-request',
  'omit-response',
  'prompt-id',
  'cache-enabled',
  'cache-read',
  'cache-save',
  'cache-seed',
  'cache-bucket-max-size',
  'cache-ignore-keys',
  'ratelimit-policy',
]);
/** Header families (`Property-<Name>`) that Lookout acts on, whatever the member. */
const ACTED_ON_FAMILIES = ['property-'];

/** The response header that lists what was not acted on. */
export const IGNORED_HEADERS_HEADER = 'lookout-ignored-headers';

/** The `Lookout-*` / `Helicone-*` headers of a request that Lookout does not act on, lower-cased and sorted. */
export function headersNotActedOn(headers: RequestHeaderMap): string[] {
  const ignored: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!value?.trim()) continue;
    const prefix = PREFIXES.find((p) => name.startsWith(p));
    if (!prefix) continue;
    const suffix = name.slice(prefix.length);
    if (ACTED_ON.has(suffix) || ACTED_ON_FAMILIES.some((family) => suffix.startsWith(family))) continue;
    ignored.push(name);
  }
  return ignored.sort();
}

/** `Lookout-Ignored-Headers` for a request, or nothing when every Lookout / Helicone header it sent was acted on. */
export function ignoredHeadersHeader(headers: RequestHeaderMap): Record<string, string> {
  const ignored = headersNotActedOn(headers);
  return ignored.length > 0 ? { [IGNORED_HEADERS_HEADER]: ignored.join(', ') } : {};
}
