import type { CounterUsage } from '../ports/quota-counters.js';
import { decideReservation, isLive, type SubWindowCounts } from './sub-windows.js';

/**
 * What a counter's sub-windows, as a store read them, count at `nowMs`: every store's `read`, so
 * that they agree with each other and with the reserve's own `resetAtMs` (taken from
 * `decideReservation`, whose amount of 0 changes nothing).
 */
export function counterUsageOf(subWindows: ReadonlyMap<number, SubWindowCounts>, nowMs: number, windowSeconds: number): CounterUsage {
  let used = 0;
  let reserved = 0;
  for (const [startMs, counts] of subWindows) {
    if (!isLive(startMs, nowMs, windowSeconds)) continue;
    used += counts.used;
    reserved += counts.reserved;
  }
  const { resetAtMs } = decideReservation(subWindows, 0, Number.MAX_SAFE_INTEGER, nowMs, windowSeconds);
  return { used, reserved, resetAtMs };
}
