import { emptyRollupBucket, ROLLUP_COUNT_FIELDS, type RollupBucket } from '../../core/rollups/rollup-bucket.js';
import type { BucketAddress } from '../../core/rollups/rollup-chunks.js';
import type { Dimension } from '../../core/rollups/rollup-dimensions.js';
import type { BucketTime, Resolution } from '../../core/rollups/rollup-resolution.js';
import type { SeriesKey } from '../../core/rollups/rollup-series.js';

/*
 * The rollups table's item shapes. A bucket item's partition is one bucket time of one set of
 * dimensions (`m|model+user|1733050800000`), its sort key the values as JSON (`["gpt-4o","alice"]`),
 * so one Query reads every value of a split for one bucket time, and a filter on the first
 * dimension is a key prefix. Counts are top-level numbers and each histogram bin is an attribute
 * of its own (`L12` latency, `T7` TTFT), so a batch's additions are plain `ADD`s.
 */

const RESOLUTION_CODE: Record<Resolution, string> = { minute: 'm', hour: 'h', day: 'd' };
const ALL_DIMENSIONS = '*';
export const LATENCY_BIN_PREFIX = 'L';
export const TTFT_BIN_PREFIX = 'T';

export interface ItemKey {
  pk: string;
  sk: string;
}

export function bucketPartition(time: BucketTime, dimensions: readonly Dimension[]): string {
  return `${RESOLUTION_CODE[time.resolution]}|${dimensions.length === 0 ? ALL_DIMENSIONS : dimensions.join('+')}|${time.startMs}`;
}

export function bucketKey(address: BucketAddress): ItemKey {
  return { pk: bucketPartition(address.time, address.series.dimensions), sk: JSON.stringify(address.series.values) };
}

/** The sort-key prefix of the values that start with `leading` (the filters on the first dimensions). */
export function valuesPrefix(leading: readonly (string | null)[]): string {
  return `${JSON.stringify(leading).slice(0, -1)},`;
}

export function seriesFromItem(item: Record<string, unknown>): SeriesKey {
  const [, dims = ALL_DIMENSIONS] = String(item.pk).split('|');
  const dimensions = dims === ALL_DIMENSIONS ? [] : (dims.split('+') as Dimension[]);
  return { dimensions, values: JSON.parse(String(item.sk)) as (string | null)[] };
}

export function bucketFromItem(item: Record<string, unknown>): RollupBucket {
  const bucket = emptyRollupBucket();
  for (const field of ROLLUP_COUNT_FIELDS) bucket.counts[field] = numberAt(item, field);
  for (const [name, value] of Object.entries(item)) {
    const bin = Number(name.slice(1));
    if (!Number.isSafeInteger(bin) || name.length < 2) continue;
    if (name[0] === LATENCY_BIN_PREFIX) bucket.latency.set(bin, Number(value));
    else if (name[0] === TTFT_BIN_PREFIX) bucket.ttft.set(bin, Number(value));
  }
  bucket.lastRequestAtMs = typeof item.lastAt === 'number' ? item.lastAt : null;
  return bucket;
}

/** A whole bucket item (the rebuild's replacement). */
export function bucketItem(address: BucketAddress, bucket: RollupBucket, expiresAtSeconds: number): Record<string, unknown> {
  const item: Record<string, unknown> = { ...bucketKey(address), ...valueAttributes(address.series), expiresAt: expiresAtSeconds };
  for (const field of ROLLUP_COUNT_FIELDS) item[field] = bucket.counts[field];
  for (const [bin, count] of bucket.latency) item[`${LATENCY_BIN_PREFIX}${bin}`] = count;
  for (const [bin, count] of bucket.ttft) item[`${TTFT_BIN_PREFIX}${bin}`] = count;
  if (bucket.lastRequestAtMs !== null) item.lastAt = bucket.lastRequestAtMs;
  return item;
}

/** The values again as plain attributes `v0`, `v1`, which a filter on the second dimension can test (key attributes cannot be). */
export function valueAttributes(series: SeriesKey): Record<string, string | null> {
  return Object.fromEntries(series.values.map((value, index) => [`v${index}`, value]));
}

function numberAt(item: Record<string, unknown>, name: string): number {
  const value = item[name];
  return typeof value === 'number' ? value : 0;
}
