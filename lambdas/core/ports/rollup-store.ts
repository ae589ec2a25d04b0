import type { RollupBucket } from '../rollups/rollup-bucket.js';
import type { BucketAddress, BucketDelta } from '../rollups/rollup-chunks.js';
import type { Dimension } from '../rollups/rollup-dimensions.js';
import type { BucketTime } from '../rollups/rollup-resolution.js';
import type { SeriesKey } from '../rollups/rollup-series.js';

/** What the aggregator writes: bucket deltas with its per-shard checkpoint, and the cardinality guard's admissions. */
export interface RollupWriter {
  /** The last stream position applied for a shard (`streamPosition`), or null when none was. */
  readCheckpoint(shardId: string): Promise<string | null>;
  /**
   * Adds every delta to its bucket and moves the shard's checkpoint from `expected` to `next`,
   * all or nothing. False, with nothing written, when the checkpoint was no longer `expected`
   * (another delivery of the same records got there first).
   */
  applyChunk(shardId: string, expected: string | null, next: string, deltas: readonly BucketDelta[]): Promise<boolean>;
  /**
   * Of `values` of a dimension on a UTC day, the ones that have a series of their own: those
   * admitted before, and new ones while the day has fewer than `limit`. The rest fold into `(other)`.
   */
  admitValues(dimension: Dimension, day: string, values: readonly string[], limit: number): Promise<Set<string>>;
}

/** What `npm run rollups:rebuild` writes: whole buckets, replacing what is there, so running it twice changes nothing. */
export interface RollupReplacer extends Pick<RollupWriter, 'admitValues'> {
  replaceBuckets(buckets: readonly BucketDelta[]): Promise<void>;
}

/** One series' bucket, as a group read returns it. */
export interface SeriesBucket {
  series: SeriesKey;
  bucket: RollupBucket;
}

/** What `/v1/metrics` and the reports read. Every read is by bucket: its cost follows the buckets asked for, never the traffic. */
export interface RollupReader {
  /** The buckets at these addresses, null where no request counted. */
  readBuckets(addresses: readonly BucketAddress[]): Promise<(RollupBucket | null)[]>;
  /**
   * Every series of `dimensions` in one bucket time whose values match `fixed` (the filters), for
   * a split: one read of the bucket time's group, not one per value.
   */
  readGroup(time: BucketTime, dimensions: readonly Dimension[], fixed: ReadonlyMap<Dimension, string | null>): Promise<SeriesBucket[]>;
}
