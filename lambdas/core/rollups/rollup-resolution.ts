/** The bucket sizes the rollups keep; each is kept for its own number of days (`rollupRetentionDays`). */
export type Resolution = 'minute' | 'hour' | 'day';

export const RESOLUTIONS: readonly Resolution[] = ['minute', 'hour', 'day'];

export const RESOLUTION_MS: Readonly<Record<Resolution, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export type RollupRetentionDays = Readonly<Record<Resolution, number>>;

/** The start of the bucket of `resolution` holding the instant `epochMs` (UTC: days start at midnight UTC). */
export function bucketStartMs(epochMs: number, resolution: Resolution): number {
  const size = RESOLUTION_MS[resolution];
  return Math.floor(epochMs / size) * size;
}

/** When a bucket's item may be deleted: its end plus its resolution's retention. */
export function bucketExpiresAtMs(startMs: number, resolution: Resolution, retention: RollupRetentionDays): number {
  return startMs + RESOLUTION_MS[resolution] + retention[resolution] * RESOLUTION_MS.day;
}

/**
 * The finest resolution whose buckets still exist from `fromMs` on: a bucket is kept for its
 * retention after it ends, so buckets starting at or after `now - retention` have not expired.
 */
export function finestKeptResolution(fromMs: number, nowMs: number, retention: RollupRetentionDays): Resolution | null {
  return RESOLUTIONS.find((resolution) => fromMs >= nowMs - retention[resolution] * RESOLUTION_MS.day) ?? null;
}

export interface BucketTime {
  resolution: Resolution;
  startMs: number;
}

/**
 * The fewest buckets that cover `[fromMs, toMs)` exactly, both ends already on `finest`'s
 * boundaries: whole days as day buckets, whole hours left as hour buckets, the rest as `finest`.
 * An alert's rolling 30 days is then about 30 + 23 + 59 reads, not 43,200.
 */
export function tileWindow(fromMs: number, toMs: number, finest: Resolution): BucketTime[] {
  const finestMs = RESOLUTION_MS[finest];
  if (fromMs % finestMs !== 0 || toMs % finestMs !== 0) throw new RangeError(`window ends are not on ${finest} boundaries`);
  const tiles: BucketTime[] = [];
  let cursor = fromMs;
  while (cursor < toMs) {
    const resolution = [...RESOLUTIONS]
      .reverse()
      .find((r) => RESOLUTION_MS[r] >= finestMs && cursor % RESOLUTION_MS[r] === 0 && cursor + RESOLUTION_MS[r] <= toMs)!;
    tiles.push({ resolution, startMs: cursor });
    cursor += RESOLUTION_MS[resolution];
  }
  return tiles;
}
