import type { CacheOptions } from '../headers/cache-headers.js';
import type { CachedAnswer } from '../ports/response-cache.js';

export type BucketChoice =
  /** Answer from `slot`. */
  | { hit: true; slot: number; answer: CachedAnswer }
  /** Ask the provider; store its answer in `saveSlot`, or store nothing (null). */
  | { hit: false; saveSlot: number | null };

/**
 * What to do with a bucket of `Cache-Bucket-Max-Size` slots, as Helicone does: while a saving
 * request finds the bucket not full, it is a miss that fills the first empty slot, so the bucket
 * collects different answers; once full, each hit is one of them at random. A read-only request
 * (`Cache-Read` without save) takes whatever the bucket holds. A save-only request refreshes a
 * random slot of a full bucket.
 */
export function chooseFromBucket(
  slots: readonly (CachedAnswer | null)[],
  options: Pick<CacheOptions, 'read' | 'save'>,
  random: () => number,
): BucketChoice {
  const filled = slots.flatMap((answer, slot) => (answer ? [{ slot, answer }] : []));
  const firstEmpty = slots.indexOf(null);
  const full = firstEmpty === -1;
  if (options.read && filled.length > 0 && (full || !options.save)) {
    const pick = filled[Math.floor(random() * filled.length)] ?? filled[0];
    if (pick) return { hit: true, ...pick };
  }
  if (!options.save) return { hit: false, saveSlot: null };
  return { hit: false, saveSlot: full ? Math.floor(random() * slots.length) : firstEmpty };
}
