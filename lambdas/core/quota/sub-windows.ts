/**
 * The fixed sub-windows a quota window slides by, the same for every counter store. A window of
 * W seconds has 60 sub-windows of W/60 (at least one second): a request counts in the sub-window
 * of its reservation, and the window is the sub-windows that started less than W ago, so it
 * slides a sixtieth of itself at a time and never counts an amount older than W plus one
 * sub-window.
 */
export const SUB_WINDOWS_PER_WINDOW = 60;

export function subWindowMs(windowSeconds: number): number {
  return Math.max(1000, Math.ceil((windowSeconds * 1000) / SUB_WINDOWS_PER_WINDOW / 1000) * 1000);
}

/** The start of the sub-window `nowMs` falls in (aligned to the epoch, so every store agrees). */
export function subWindowStartOf(nowMs: number, windowSeconds: number): number {
  const length = subWindowMs(windowSeconds);
  return Math.floor(nowMs / length) * length;
}

/** Whether a sub-window that started at `startMs` is still in the window at `nowMs`. */
export function isLive(startMs: number, nowMs: number, windowSeconds: number): boolean {
  return startMs > nowMs - windowSeconds * 1000;
}

/** When a sub-window that started at `startMs` leaves the window. */
export function leavesWindowAtMs(startMs: number, windowSeconds: number): number {
  return startMs + windowSeconds * 1000;
}

/** One sub-window's counts. */
export interface SubWindowCounts {
  used: number;
  reserved: number;
}

/**
 * The decision every store makes atomically (the Redis script mirrors it line for line): the
 * live sub-windows' sum, whether `amount` fits under `limit`, what remains and when the oldest
 * counted amount leaves. Sub-windows no longer live are listed so a store can delete them.
 */
export function decideReservation(
  subWindows: ReadonlyMap<number, SubWindowCounts>,
  amount: number,
  limit: number,
  nowMs: number,
  windowSeconds: number,
): { fits: boolean; counted: number; remainingAfter: number; resetAtMs: number; expired: number[] } {
  let counted = 0;
  let oldest = Number.POSITIVE_INFINITY;
  const expired: number[] = [];
  for (const [startMs, counts] of subWindows) {
    if (!isLive(startMs, nowMs, windowSeconds)) {
      expired.push(startMs);
      continue;
    }
    counted += counts.used + counts.reserved;
    if (counts.used + counts.reserved > 0) oldest = Math.min(oldest, startMs);
  }
  const fits = counted + amount <= limit;
  const after = fits ? counted + amount : counted;
  if (fits && amount > 0) oldest = Math.min(oldest, subWindowStartOf(nowMs, windowSeconds));
  const resetAtMs = Number.isFinite(oldest) ? leavesWindowAtMs(oldest, windowSeconds) : nowMs + windowSeconds * 1000;
  return { fits, counted, remainingAfter: Math.max(0, limit - after), resetAtMs, expired };
}
