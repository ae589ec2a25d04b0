import {
  finestKeptResolution,
  RESOLUTION_MS,
  tileWindow,
  type BucketTime,
  type Resolution,
  type RollupRetentionDays,
} from '../rollups/rollup-resolution.js';
import { DAY_MS, type TimeWindow } from './time-window.js';

/** A window widened to whole buckets of `resolution`: `from` floored, `to` ceiled. */
export function alignWindow(window: TimeWindow, resolution: Resolution): TimeWindow {
  const size = RESOLUTION_MS[resolution];
  return { fromMs: Math.floor(window.fromMs / size) * size, toMs: Math.ceil(window.toMs / size) * size };
}

/** A window as the rollups answer it: its ends on bucket boundaries, and the fewest buckets covering it. */
export interface TiledWindow {
  window: TimeWindow;
  tiles: BucketTime[];
}

/**
 * The buckets a report over `window` reads: the window starts no earlier than the oldest day
 * bucket kept, its ends go out to the boundaries of the finest resolution still kept at its start,
 * and whole hours and days in it are read as one bucket each (`tileWindow`).
 */
export function tiledWindow(window: TimeWindow, nowMs: number, retention: RollupRetentionDays): TiledWindow {
  const fromMs = Math.min(Math.max(window.fromMs, nowMs - retention.day * DAY_MS), window.toMs);
  // At or after the day retention's start, some resolution is always kept.
  const finest = finestKeptResolution(fromMs, nowMs, retention) ?? 'day';
  const aligned = alignWindow({ fromMs, toMs: window.toMs }, finest);
  return { window: aligned, tiles: tileWindow(aligned.fromMs, aligned.toMs, finest) };
}
