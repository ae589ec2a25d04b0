/**
 * The response headers of a request that used the cache: `Lookout-Cache` and Helicone's
 * `Helicone-Cache` (`HIT` or `MISS`) and, on a hit, which bucket slot answered.
 */
export function cacheResponseHeaders(lookup: { hit: false } | { hit: true; bucketIdx: number }): Record<string, string> {
  if (!lookup.hit) return { 'lookout-cache': 'MISS', 'helicone-cache': 'MISS' };
  const idx = String(lookup.bucketIdx);
  return { 'lookout-cache': 'HIT', 'helicone-cache': 'HIT', 'lookout-cache-bucket-idx': idx, 'helicone-cache-bucket-idx': idx };
}

/**
 * The upstream response headers a hit replays. Only what describes the body: the rest (dates,
 * the provider's request ids, rate-limit counters, cookies) belonged to the original exchange.
 */
export const REPLAYED_RESPONSE_HEADERS = ['content-type'] as const;
