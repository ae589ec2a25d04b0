import type { CounterUsage, QuotaCounters, QuotaWindow, Reservation, ReserveResult } from '../../lambdas/core/ports/quota-counters.js';
import { counterUsageOf } from '../../lambdas/core/quota/counter-usage.js';
import { decideReservation, isLive, subWindowStartOf, type SubWindowCounts } from '../../lambdas/core/quota/sub-windows.js';

/**
 * The quota counters in memory, for the gateway's unit tests: the same sub-window rule as the
 * real stores (`decideReservation`), atomic because JavaScript runs one reserve at a time, and
 * `failWith` / `hang` to play a store that is down or stuck.
 */
export class InMemoryQuotaCounters implements QuotaCounters {
  readonly counters = new Map<string, Map<number, SubWindowCounts>>();
  readonly settles: Array<{ reservation: Reservation; actual: number }> = [];
  failWith: Error | null = null;
  hang = false;

  async reserve(window: QuotaWindow, amount: number, nowMs: number): Promise<ReserveResult> {
    if (this.hang) return new Promise(() => {});
    if (this.failWith) throw this.failWith;
    const subWindows = this.subWindowsOf(window.counterKey);
    const decision = decideReservation(subWindows, amount, window.limit, nowMs, window.windowSeconds);
    for (const start of decision.expired) subWindows.delete(start);
    if (!decision.fits) return { granted: false, remaining: decision.remainingAfter, resetAtMs: decision.resetAtMs };
    const start = subWindowStartOf(nowMs, window.windowSeconds);
    const counts = subWindows.get(start) ?? { used: 0, reserved: 0 };
    subWindows.set(start, { ...counts, reserved: counts.reserved + amount });
    return {
      granted: true,
      reservation: { counterKey: window.counterKey, windowSeconds: window.windowSeconds, subWindowStartMs: start, amount },
      remaining: decision.remainingAfter,
      resetAtMs: decision.resetAtMs,
    };
  }

  async settle(reservation: Reservation, actual: number, nowMs: number): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.settles.push({ reservation, actual });
    const subWindows = this.subWindowsOf(reservation.counterKey);
    const counts = subWindows.get(reservation.subWindowStartMs);
    if (!counts || !isLive(reservation.subWindowStartMs, nowMs, reservation.windowSeconds)) return;
    subWindows.set(reservation.subWindowStartMs, { used: counts.used + actual, reserved: counts.reserved - reservation.amount });
  }

  async read(window: Omit<QuotaWindow, 'limit'>, nowMs: number): Promise<CounterUsage> {
    return counterUsageOf(this.subWindowsOf(window.counterKey), nowMs, window.windowSeconds);
  }

  private subWindowsOf(counterKey: string): Map<number, SubWindowCounts> {
    let subWindows = this.counters.get(counterKey);
    if (!subWindows) this.counters.set(counterKey, (subWindows = new Map()));
    return subWindows;
  }
}
