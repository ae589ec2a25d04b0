import type { RollupReader, SeriesBucket } from '../../core/ports/rollup-store.js';
import { addBucketInto, emptyRollupBucket, type RollupBucket } from '../../core/rollups/rollup-bucket.js';
import type { Dimension } from '../../core/rollups/rollup-dimensions.js';
import type { BucketTime } from '../../core/rollups/rollup-resolution.js';

/** Group reads in flight at once: each is a Query (paged), and a chart can ask for 1,500. */
const GROUP_READS_AT_ONCE = 8;

/** The series of `dimensions` matching `fixed` in each bucket time, in the order of `times`. */
export async function readGroupsAt(
  rollups: RollupReader,
  times: readonly BucketTime[],
  dimensions: readonly Dimension[],
  fixed: ReadonlyMap<Dimension, string | null>,
): Promise<SeriesBucket[][]> {
  const groups: SeriesBucket[][] = new Array(times.length);
  let next = 0;
  const worker = async () => {
    while (next < times.length) {
      const index = next++;
      groups[index] = await rollups.readGroup(times[index]!, dimensions, fixed);
    }
  };
  await Promise.all(Array.from({ length: Math.min(GROUP_READS_AT_ONCE, times.length) }, worker));
  return groups;
}

/** Each value of `dimension` (one of `dimensions`) with its buckets in `times` merged into one. */
export async function mergedGroups(
  rollups: RollupReader,
  times: readonly BucketTime[],
  dimensions: readonly Dimension[],
  fixed: ReadonlyMap<Dimension, string | null>,
  dimension: Dimension,
): Promise<Map<string | null, RollupBucket>> {
  const index = dimensions.indexOf(dimension);
  const merged = new Map<string | null, RollupBucket>();
  for (const group of await readGroupsAt(rollups, times, dimensions, fixed)) {
    for (const { series, bucket } of group) {
      const value = series.values[index] ?? null;
      let target = merged.get(value);
      if (!target) merged.set(value, (target = emptyRollupBucket()));
      addBucketInto(target, bucket);
    }
  }
  return merged;
}

/** The buckets added up into one (none counted: an empty bucket). */
export function mergedBucket(buckets: Iterable<RollupBucket | null>): RollupBucket {
  const merged = emptyRollupBucket();
  for (const bucket of buckets) if (bucket) addBucketInto(merged, bucket);
  return merged;
}
