import { addBucketInto, addSampleToBucket, emptyRollupBucket, type RollupBucket } from './rollup-bucket.js';
import type { Dimension } from './rollup-dimensions.js';
import { bucketStartMs, RESOLUTIONS, type BucketTime } from './rollup-resolution.js';
import type { RollupSample } from './rollup-sample.js';
import { seriesOfRequest, type SeriesKey } from './rollup-series.js';

/** Where one bucket of one series is. */
export interface BucketAddress {
  time: BucketTime;
  series: SeriesKey;
}

/** What to add to one bucket. */
export interface BucketDelta {
  address: BucketAddress;
  bucket: RollupBucket;
}

/** A stream record's request, with its dimension values already through the cardinality guard. */
export interface SequencedSample {
  sequenceNumber: string;
  sample: RollupSample;
  values: ReadonlyMap<Dimension, string | null>;
}

/** What one atomic write may hold (the store's limits: DynamoDB's items per transaction, expression length). */
export interface ChunkLimits {
  /** Bucket updates in one write, the checkpoint not counted. */
  maxBuckets: number;
  /** Latency and TTFT bins added to one bucket in one write. */
  maxBinsPerBucket: number;
}

/**
 * One atomic write of the aggregator: the bucket deltas of consecutive parts of the shard, and
 * the stream position the shard's checkpoint moves to with them.
 */
export interface RollupChunk {
  lastPosition: string;
  deltas: BucketDelta[];
}

// Sequence numbers are decimal strings of varying length; padded, they compare as strings do in a
// DynamoDB condition. The part number follows, as one request can touch more buckets than one write holds.
const SEQUENCE_DIGITS = 48;
const PART_DIGITS = 5;

/** The highest part number a position can hold. */
export const LAST_PART = 10 ** PART_DIGITS - 1;

/** A point in a shard: a record's sequence number and which part of its bucket updates. */
export function streamPosition(sequenceNumber: string, part: number): string {
  if (!/^\d{1,48}$/.test(sequenceNumber)) throw new RangeError(`not a stream sequence number: ${sequenceNumber}`);
  return `${sequenceNumber.padStart(SEQUENCE_DIGITS, '0')}#${String(part).padStart(PART_DIGITS, '0')}`;
}

/** The sequence number a position belongs to, as the stream wrote it. */
export function sequenceNumberOf(position: string): string {
  return position.slice(0, SEQUENCE_DIGITS).replace(/^0+(?=\d)/, '');
}

/** Every bucket a request counts in: each series of its values, at each resolution. */
export function bucketAddresses(sample: RollupSample, values: ReadonlyMap<Dimension, string | null>): BucketAddress[] {
  const series = seriesOfRequest(values);
  return RESOLUTIONS.flatMap((resolution) =>
    series.map((key) => ({ time: { resolution, startMs: bucketStartMs(sample.createdAtMs, resolution) }, series: key })),
  );
}

/** A string naming a bucket, for maps; the store has its own key format. */
export function addressId(address: BucketAddress): string {
  return JSON.stringify([address.time.resolution, address.time.startMs, address.series.dimensions, address.series.values]);
}

/**
 * Splits records (in shard order) into atomic writes, leaving out every part at or before
 * `checkpoint`: those were applied by an earlier delivery. A request's buckets are cut into
 * parts of at most `maxBuckets` in a fixed order, so every delivery cuts them the same way and a
 * checkpoint inside a request is meaningful; consecutive parts share one write while its bucket
 * count and each bucket's new bins stay within the limits.
 */
export function planChunks(records: readonly SequencedSample[], checkpoint: string | null, limits: ChunkLimits): RollupChunk[] {
  const chunks: RollupChunk[] = [];
  let deltas = new Map<string, BucketDelta>();
  let lastPosition: string | null = null;
  const close = () => {
    if (lastPosition !== null) chunks.push({ lastPosition, deltas: [...deltas.values()] });
    deltas = new Map();
    lastPosition = null;
  };
  for (const record of records) {
    const addresses = bucketAddresses(record.sample, record.values);
    const single = emptyRollupBucket();
    addSampleToBucket(single, record.sample);
    for (let part = 0; part * limits.maxBuckets < addresses.length; part++) {
      const position = streamPosition(record.sequenceNumber, part);
      if (checkpoint !== null && position <= checkpoint) continue;
      const partAddresses = addresses.slice(part * limits.maxBuckets, (part + 1) * limits.maxBuckets);
      if (!fits(deltas, partAddresses, single, limits)) close();
      for (const address of partAddresses) {
        const id = addressId(address);
        const existing = deltas.get(id);
        if (existing) addBucketInto(existing.bucket, single);
        else deltas.set(id, { address, bucket: copyOf(single) });
      }
      lastPosition = position;
    }
  }
  close();
  return chunks;
}

function fits(
  deltas: ReadonlyMap<string, BucketDelta>,
  addresses: readonly BucketAddress[],
  single: RollupBucket,
  limits: ChunkLimits,
): boolean {
  let added = 0;
  for (const address of addresses) {
    const existing = deltas.get(addressId(address));
    if (!existing) {
      added += 1;
      continue;
    }
    const bins =
      new Set([...existing.bucket.latency.keys(), ...single.latency.keys()]).size +
      new Set([...existing.bucket.ttft.keys(), ...single.ttft.keys()]).size;
    if (bins > limits.maxBinsPerBucket) return false;
  }
  return deltas.size + added <= limits.maxBuckets;
}

function copyOf(bucket: RollupBucket): RollupBucket {
  const copy = emptyRollupBucket();
  addBucketInto(copy, bucket);
  return copy;
}
