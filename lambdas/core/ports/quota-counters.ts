/**
 * The port of the quota counters: an atomic reserve-then-settle over a sliding window, whose
 * guarantee is that what is counted in a window (settled plus still reserved) never goes past
 * its limit, however many requests reserve at once. Amounts are integers in the quota's unit:
 * requests, tokens or nano-USD. A window is cut into fixed sub-windows (`core/quota/sub-windows.ts`),
 * the same in every adapter; a reservation is counted in the sub-window it was made in, so one
 * whose settle never comes (a crash) leaves the count when its sub-window leaves the window.
 * Adapters: Redis / Valkey (`adapters/redis/`, a Lua script) and DynamoDB (`adapters/dynamodb/`,
 * conditional writes).
 */

/** One counter: a quota (or a `RateLimit-Policy`) for one scope value. */
export interface QuotaWindow {
  /** Names the counter: the quota's id and the scope value, already joined (`core/quota`). */
  counterKey: string;
  windowSeconds: number;
  /** The most the window may count, in the quota's integer unit. */
  limit: number;
}

/** What a granted reservation holds, for its settle. */
export interface Reservation {
  counterKey: string;
  windowSeconds: number;
  /** The start of the sub-window the amount was counted in. */
  subWindowStartMs: number;
  amount: number;
}

export type ReserveResult =
  | {
      granted: true;
      reservation: Reservation;
      /** What is left in the window after this reservation. */
      remaining: number;
      /** When the oldest amount still counted leaves the window. */
      resetAtMs: number;
    }
  | {
      granted: false;
      remaining: number;
      /** When the oldest amount still counted leaves the window: the earliest a retry could fit. */
      resetAtMs: number;
    };

/** A counter as it stands. */
export interface CounterUsage {
  /** Settled amounts in the window. */
  used: number;
  /** Reserved amounts not settled yet. */
  reserved: number;
  /** When the oldest amount still counted leaves the window (now + window when nothing is counted). */
  resetAtMs: number;
}

/**
 * A reserve the store could not make for the writes racing it on one counter (a store that
 * resolves contention by retrying, DynamoDB's conditional writes, gives up at a bound). The store
 * was reachable, so this is not a store failure: the request is refused, never let through
 * unchecked, or the guarantee would end where the load begins.
 */
export class QuotaCounterContentionError extends Error {
  override readonly name = 'QuotaCounterContentionError';

  constructor(counterKey: string, attempts: number) {
    super(`the quota counter ${counterKey} is contended: ${attempts} conditional writes in a row lost to other reserves`);
  }
}

export interface QuotaCounters {
  /** Counts `amount` as reserved if used + reserved + amount fits the limit; otherwise counts nothing. */
  reserve(window: QuotaWindow, amount: number, nowMs: number): Promise<ReserveResult>;
  /**
   * Replaces a reservation by what was really spent (0 releases it). A settle whose sub-window has
   * left the window changes nothing. `actual` above the reserved amount is counted as it is: the
   * truth beats the bound (the caller reserves an upper bound, so that is a provider's surprise).
   */
  settle(reservation: Reservation, actual: number, nowMs: number): Promise<void>;
  read(window: Omit<QuotaWindow, 'limit'>, nowMs: number): Promise<CounterUsage>;
}
