import type { RollupReader, RollupReplacer, RollupWriter, SeriesBucket } from '../../lambdas/core/ports/rollup-store.js';
import { addBucketInto, addSampleToBucket, emptyRollupBucket, type RollupBucket } from '../../lambdas/core/rollups/rollup-bucket.js';
import { addressId, bucketAddresses, type BucketAddress, type BucketDelta } from '../../lambdas/core/rollups/rollup-chunks.js';
import type { Dimension } from '../../lambdas/core/rollups/rollup-dimensions.js';
import type { BucketTime } from '../../lambdas/core/rollups/rollup-resolution.js';
import type { RollupSample } from '../../lambdas/core/rollups/rollup-sample.js';

/**
 * The rollups in maps: a second implementation of the `RollupWriter`, `RollupReplacer` and
 * `RollupReader` ports, for unit tests. Buckets are kept by address and copied in and out, so a
 * caller merging into what it read changes nothing stored. Reads are recorded, for tests of what
 * a report costs.
 */
export class InMemoryRollups implements RollupWriter, RollupReplacer, RollupReader {
  readonly buckets = new Map<string, BucketDelta>();
  readonly checkpoints = new Map<string, string>();
  /** Admitted values by `dimension|day`. */
  readonly admitted = new Map<string, Set<string>>();
  /** Every address `readBuckets` was asked for, and every group `readGroup` read, in order. */
  readonly bucketReads: BucketAddress[] = [];
  readonly groupReads: { time: BucketTime; dimensions: readonly Dimension[]; fixed: ReadonlyMap<Dimension, string | null> }[] = [];

  /**
   * Counts one request in every bucket it belongs to (each series of `values`, at each
   * resolution), as the aggregator would; `values` are taken as already through the guard.
   */
  addRequest(sample: RollupSample, values: ReadonlyMap<Dimension, string | null>): void {
    const single = emptyRollupBucket();
    addSampleToBucket(single, sample);
    for (const address of bucketAddresses(sample, values)) this.addInto(address, single);
  }

  /** Removes every bucket of a resolution, as its retention's TTL would. */
  expire(resolution: BucketTime['resolution']): void {
    for (const [id, { address }] of this.buckets) if (address.time.resolution === resolution) this.buckets.delete(id);
  }

  async readCheckpoint(shardId: string): Promise<string | null> {
    return this.checkpoints.get(shardId) ?? null;
  }

  async applyChunk(shardId: string, expected: string | null, next: string, deltas: readonly BucketDelta[]): Promise<boolean> {
    if ((this.checkpoints.get(shardId) ?? null) !== expected) return false;
    this.checkpoints.set(shardId, next);
    for (const delta of deltas) this.addInto(delta.address, delta.bucket);
    return true;
  }

  async admitValues(dimension: Dimension, day: string, values: readonly string[], limit: number): Promise<Set<string>> {
    const key = `${dimension}|${day}`;
    const known = this.admitted.get(key) ?? new Set<string>();
    this.admitted.set(key, known);
    const result = new Set<string>();
    for (const value of values) {
      if (!known.has(value) && known.size < limit) known.add(value);
      if (known.has(value)) result.add(value);
    }
    return result;
  }

  async replaceBuckets(buckets: readonly BucketDelta[]): Promise<void> {
    for (const { address, bucket } of buckets) this.buckets.set(addressId(address), { address, bucket: copyOf(bucket) });
  }

  async readBuckets(addresses: readonly BucketAddress[]): Promise<(RollupBucket | null)[]> {
    this.bucketReads.push(...addresses);
    return addresses.map((address) => {
      const found = this.buckets.get(addressId(address));
      return found ? copyOf(found.bucket) : null;
    });
  }

  async readGroup(
    time: BucketTime,
    dimensions: readonly Dimension[],
    fixed: ReadonlyMap<Dimension, string | null>,
  ): Promise<SeriesBucket[]> {
    this.groupReads.push({ time, dimensions, fixed });
    // As the table: the group is these dimensions in the order given (stored sorted), and a
    // filter on a dimension outside the group is ignored.
    const group = dimensions.join('+');
    const found: SeriesBucket[] = [];
    for (const { address, bucket } of this.buckets.values()) {
      if (address.time.resolution !== time.resolution || address.time.startMs !== time.startMs) continue;
      if (address.series.dimensions.join('+') !== group) continue;
      const matches = dimensions.every(
        (dimension, index) => !fixed.has(dimension) || fixed.get(dimension) === address.series.values[index],
      );
      if (matches) found.push({ series: address.series, bucket: copyOf(bucket) });
    }
    return found.sort((a, b) => JSON.stringify(a.series.values).localeCompare(JSON.stringify(b.series.values)));
  }

  private addInto(address: BucketAddress, bucket: RollupBucket): void {
    const id = addressId(address);
    const existing = this.buckets.get(id);
    if (existing) addBucketInto(existing.bucket, bucket);
    else this.buckets.set(id, { address, bucket: copyOf(bucket) });
  }
}

function copyOf(bucket: RollupBucket): RollupBucket {
  const copy = emptyRollupBucket();
  addBucketInto(copy, bucket);
  return copy;
}
