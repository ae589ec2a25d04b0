import type { RollupReplacer } from '../../core/ports/rollup-store.js';
import type { RollupSampleSource } from '../../core/ports/rollup-sample-source.js';
import { DAY_MS } from '../../core/query/time-window.js';
import { addSampleToBucket, emptyRollupBucket } from '../../core/rollups/rollup-bucket.js';
import { addressId, bucketAddresses, type BucketDelta } from '../../core/rollups/rollup-chunks.js';
import { rollupDimensions } from '../../core/rollups/rollup-dimensions.js';
import { bucketExpiresAtMs, bucketStartMs, type Resolution, type RollupRetentionDays } from '../../core/rollups/rollup-resolution.js';
import { utcDay } from '../../core/request-log/request-log-record.js';
import { DimensionFolding, type FoldingLogger } from './dimension-folding.js';

export interface RollupRebuildOptions {
  samples: RollupSampleSource;
  store: RollupReplacer;
  indexedProperties: readonly string[];
  maxValuesPerDay: number;
  retention: RollupRetentionDays;
  /** Days the request log keeps: a day partly expired from the log cannot be rebuilt whole. */
  logRetentionDays: number;
  logger: FoldingLogger;
  now: () => number;
}

export interface RebuildProgress {
  day: string;
  daysDone: number;
  days: number;
  requests: number;
  /** Set on the report that closes a day; the others come a page at a time. */
  dayFinished: boolean;
}

/**
 * Rebuilds whole UTC days of rollups from the request log, after an incident (batches the stream
 * gave up on) or once a property is newly indexed. Every bucket of a day is computed from the
 * day's requests and written whole, replacing what was there, so a second run changes nothing.
 * Buckets are written an hour at a time (the day's buckets at its end) to bound memory.
 *
 * Today is refused: the stream is still adding to its buckets, and a replacement written while a
 * request of the same bucket is being added would lose or double it. So are days whose oldest
 * requests may have expired from the log, whose rebuild would be short.
 */
export class RollupRebuild {
  constructor(private readonly options: RollupRebuildOptions) {}

  /** The UTC days from `fromDay` to `toDay` (`YYYY-MM-DD`, both included) that can be rebuilt, or why not. */
  daysBetween(fromDay: string, toDay: string): string[] {
    const first = Date.parse(`${fromDay}T00:00:00Z`);
    const last = Date.parse(`${toDay}T00:00:00Z`);
    if (!(first <= last)) throw new RangeError(`--from ${fromDay} is after --to ${toDay}`);
    const today = utcDay(this.options.now());
    const oldest = utcDay(this.options.now() - (this.options.logRetentionDays - 1) * DAY_MS);
    if (toDay >= today) {
      throw new RangeError(`${today} is still being added to by the stream; days before ${today} can be rebuilt`);
    }
    if (fromDay < oldest) {
      throw new RangeError(`the request log keeps ${this.options.logRetentionDays} days; the oldest day it holds whole is ${oldest}`);
    }
    const days: string[] = [];
    for (let dayStart = first; dayStart <= last; dayStart += DAY_MS) days.push(utcDay(dayStart));
    return days;
  }

  async rebuild(
    days: readonly string[],
    onProgress: (progress: RebuildProgress) => void = () => {},
  ): Promise<{ requests: number; buckets: number }> {
    const folding = new DimensionFolding(
      this.options.store,
      rollupDimensions(this.options.indexedProperties),
      this.options.maxValuesPerDay,
      this.options.logger,
    );
    let requests = 0;
    let buckets = 0;
    for (const [index, day] of days.entries()) {
      const dayStartMs = Date.parse(`${day}T00:00:00Z`);
      const open = new Map<string, BucketDelta>();
      let hour: number | null = null;
      const flush = async (resolutions: readonly Resolution[]) => {
        const finished = [...open.values()].filter((delta) => resolutions.includes(delta.address.time.resolution));
        const kept = finished.filter(
          ({ address }) => bucketExpiresAtMs(address.time.startMs, address.time.resolution, this.options.retention) > this.options.now(),
        );
        await this.options.store.replaceBuckets(kept);
        for (const { address } of finished) open.delete(addressId(address));
        buckets += kept.length;
      };
      for await (const page of this.options.samples.readSamples({ fromMs: dayStartMs, toMs: dayStartMs + DAY_MS })) {
        const values = await folding.foldedValues(page);
        for (const [position, sample] of page.entries()) {
          const sampleHour = bucketStartMs(sample.createdAtMs, 'hour');
          if (hour !== null && sampleHour !== hour) await flush(['minute', 'hour']);
          hour = sampleHour;
          for (const address of bucketAddresses(sample, values[position]!)) {
            const id = addressId(address);
            let delta = open.get(id);
            if (!delta) open.set(id, (delta = { address, bucket: emptyRollupBucket() }));
            addSampleToBucket(delta.bucket, sample);
          }
          requests += 1;
        }
        onProgress({ day, daysDone: index, days: days.length, requests, dayFinished: false });
      }
      await flush(['minute', 'hour', 'day']);
      onProgress({ day, daysDone: index + 1, days: days.length, requests, dayFinished: true });
    }
    return { requests, buckets };
  }
}
