/**
 * The one contract of the `QuotaCounters` port, run against each store (Redis / Valkey in
 * `redis/redis-quota-counters.test.ts`, DynamoDB in `dynamodb/quota-counter-table.test.ts`): what
 * the gateway's quota step relies on, whichever store a deployment picks, above all that what a
 * window counts never passes its limit however many reserves run at once. The clock is the
 * `nowMs` each call is given: the tests slide a window by moving it, never by waiting. Each test
 * uses counter keys of its own, so tests never see each other's counts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { QuotaCounters, QuotaWindow, Reservation, ReserveResult } from '../../lambdas/core/ports/quota-counters.js';
import { subWindowMs } from '../../lambdas/core/quota/sub-windows.js';

export interface QuotaCountersUnderTest {
  counters: QuotaCounters;
  /** Releases what the counters hold (a connection), after the suite. */
  close?(): Promise<void>;
}

/**
 * The start of a sub-window of every window length the tests use, in 2099: a store that expires
 * counters by the wall clock (DynamoDB's TTL) never removes one while a test reads it.
 */
export const T0 = Date.UTC(2099, 0, 1);

/** A 60 s window, of sub-windows of 1 s. */
const WINDOW_SECONDS = 60;
const WINDOW_MS = WINDOW_SECONDS * 1000;
const SUB_WINDOW_MS = subWindowMs(WINDOW_SECONDS);

/** A counter of its own for each call. */
export function newWindow(limit: number, windowSeconds = WINDOW_SECONDS): QuotaWindow {
  return { counterKey: `q:test:${randomUUID()}`, windowSeconds, limit };
}

/** The reservation of a result that must have been granted. */
export function reservationOf(result: ReserveResult): Reservation {
  assert.ok(result.granted, `expected a granted reservation, got ${JSON.stringify(result)}`);
  return result.reservation;
}

/** Amounts from 1 to `max`, the same on every run (a failure can be run again as it was). */
export function repeatableAmounts(count: number, max: number): number[] {
  let state = 12_345;
  return Array.from({ length: count }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return 1 + (state % max);
  });
}

export function describeQuotaCountersContract(name: string, makeSubject: () => Promise<QuotaCountersUnderTest>): void {
  describe(`QuotaCounters contract: ${name}`, () => {
    let subject: QuotaCountersUnderTest;
    let counters: QuotaCounters;
    before(async () => {
      subject = await makeSubject();
      counters = subject.counters;
    });
    after(async () => {
      await subject?.close?.();
    });

    it('reads a counter nothing was counted in as 0 used, 0 reserved, resetting a window from now', async () => {
      const window = newWindow(10);

      assert.deepEqual(await counters.read(window, T0 + 250), { used: 0, reserved: 0, resetAtMs: T0 + 250 + WINDOW_MS });
    });

    it('grants a reserve within the limit, with what remains and when its sub-window leaves the window', async () => {
      const window = newWindow(10);

      const first = await counters.reserve(window, 3, T0 + 250);
      assert.deepEqual(first, {
        granted: true,
        reservation: { counterKey: window.counterKey, windowSeconds: WINDOW_SECONDS, subWindowStartMs: T0, amount: 3 },
        remaining: 7,
        resetAtMs: T0 + WINDOW_MS,
      });
      // A later sub-window: the oldest counted amount still decides the reset.
      const second = await counters.reserve(window, 4, T0 + 2_500);
      assert.equal(second.granted, true);
      assert.equal(reservationOf(second).subWindowStartMs, T0 + 2 * SUB_WINDOW_MS);
      assert.equal(second.remaining, 3);
      assert.equal(second.resetAtMs, T0 + WINDOW_MS);

      assert.deepEqual(await counters.read(window, T0 + 3_000), { used: 0, reserved: 7, resetAtMs: T0 + WINDOW_MS });
    });

    it('grants a reserve that fills the limit exactly, and refuses one past it, counting nothing for it', async () => {
      const window = newWindow(5);
      assert.equal((await counters.reserve(window, 3, T0)).granted, true);

      assert.deepEqual(await counters.reserve(window, 3, T0 + 1_000), { granted: false, remaining: 2, resetAtMs: T0 + WINDOW_MS });
      assert.deepEqual(await counters.read(window, T0 + 1_000), { used: 0, reserved: 3, resetAtMs: T0 + WINDOW_MS });
      const filling = await counters.reserve(window, 2, T0 + 1_000);
      assert.equal(filling.granted, true);
      assert.equal(filling.remaining, 0);
      assert.deepEqual(await counters.reserve(window, 1, T0 + 1_000), { granted: false, remaining: 0, resetAtMs: T0 + WINDOW_MS });
    });

    it('refuses an amount larger than the whole limit on an empty counter, which then still reads empty', async () => {
      const window = newWindow(5);

      assert.deepEqual(await counters.reserve(window, 6, T0 + 10), { granted: false, remaining: 5, resetAtMs: T0 + 10 + WINDOW_MS });
      assert.deepEqual(await counters.read(window, T0 + 10), { used: 0, reserved: 0, resetAtMs: T0 + 10 + WINDOW_MS });
    });

    it('settles a reservation by what was spent: less than reserved frees the rest for the next reserve', async () => {
      const window = newWindow(10);
      const reservation = reservationOf(await counters.reserve(window, 8, T0));

      await counters.settle(reservation, 5, T0 + 4_000);

      assert.deepEqual(await counters.read(window, T0 + 4_000), { used: 5, reserved: 0, resetAtMs: T0 + WINDOW_MS });
      assert.equal((await counters.reserve(window, 5, T0 + 4_000)).granted, true);
      assert.equal((await counters.reserve(window, 1, T0 + 4_000)).granted, false);
    });

    it('settles 0 to release the whole reservation, and counts an actual above the reservation as it is', async () => {
      const released = newWindow(10);
      await counters.settle(reservationOf(await counters.reserve(released, 10, T0)), 0, T0 + 1_000);
      assert.deepEqual(await counters.read(released, T0 + 1_000), { used: 0, reserved: 0, resetAtMs: T0 + 1_000 + WINDOW_MS });
      assert.equal((await counters.reserve(released, 10, T0 + 1_000)).granted, true);

      const surprised = newWindow(10);
      await counters.settle(reservationOf(await counters.reserve(surprised, 2, T0)), 7, T0 + 1_000);
      assert.deepEqual(await counters.read(surprised, T0 + 1_000), { used: 7, reserved: 0, resetAtMs: T0 + WINDOW_MS });
    });

    it('grants exactly 5 of 20 concurrent reserves of 1 under a limit of 5', async () => {
      const window = newWindow(5);

      const results = await Promise.all(Array.from({ length: 20 }, () => counters.reserve(window, 1, T0 + 100)));

      assert.equal(results.filter((result) => result.granted).length, 5);
      assert.equal(results.filter((result) => !result.granted).length, 15);
      assert.deepEqual(await counters.read(window, T0 + 100), { used: 0, reserved: 5, resetAtMs: T0 + WINDOW_MS });
    });

    it('never grants more than the limit to 50 concurrent reserves of different amounts, and refuses only what did not fit', async () => {
      const window = newWindow(200);
      const amounts = repeatableAmounts(50, 20);

      const results = await Promise.all(amounts.map((amount) => counters.reserve(window, amount, T0 + 100)));

      const granted = amounts.filter((_, i) => results[i]?.granted).reduce((sum, amount) => sum + amount, 0);
      assert.ok(granted <= window.limit, `granted ${granted} under a limit of ${window.limit}`);
      assert.ok(granted > 0);
      // Nothing was settled, so the count only grew: a refused amount did not fit beside what was finally granted either.
      for (const [i, result] of results.entries()) {
        if (!result.granted)
          assert.ok(granted + amounts[i]! > window.limit, `refused ${amounts[i]} with ${granted} of ${window.limit} granted`);
      }
      assert.deepEqual(await counters.read(window, T0 + 100), { used: 0, reserved: granted, resetAtMs: T0 + WINDOW_MS });
    });

    it('counts every settle of 50 concurrent reserves that settle as soon as they are granted', async () => {
      const window = newWindow(200);
      const amounts = repeatableAmounts(50, 20);

      const spent = await Promise.all(
        amounts.map(async (amount) => {
          const result = await counters.reserve(window, amount, T0 + 500);
          if (!result.granted) return 0;
          const actual = Math.floor(amount / 2);
          await counters.settle(result.reservation, actual, T0 + 500);
          return actual;
        }),
      );

      const usage = await counters.read(window, T0 + 500);
      assert.equal(usage.reserved, 0);
      assert.equal(
        usage.used,
        spent.reduce((sum, actual) => sum + actual, 0),
      );
      assert.ok(usage.used <= window.limit);
    });

    it('slides: amounts leave the window sub-window by sub-window, a window after the sub-window they were counted in', async () => {
      const window = newWindow(10);
      await counters.settle(reservationOf(await counters.reserve(window, 4, T0 + 900)), 4, T0 + 1_000);
      await counters.reserve(window, 3, T0 + 20_000);
      assert.equal((await counters.reserve(window, 4, T0 + 30_000)).granted, false);

      assert.deepEqual(await counters.read(window, T0 + WINDOW_MS - 1), { used: 4, reserved: 3, resetAtMs: T0 + WINDOW_MS });
      assert.deepEqual(await counters.read(window, T0 + WINDOW_MS), { used: 0, reserved: 3, resetAtMs: T0 + 20_000 + WINDOW_MS });
      const after = await counters.reserve(window, 7, T0 + WINDOW_MS);
      assert.equal(after.granted, true);
      assert.equal(after.remaining, 0);
      assert.deepEqual(await counters.read(window, T0 + 20_000 + WINDOW_MS), {
        used: 0,
        reserved: 7,
        resetAtMs: T0 + WINDOW_MS + WINDOW_MS,
      });
    });

    it('lets a reservation that is never settled leave with its sub-window, refusing until then', async () => {
      const window = newWindow(5);
      reservationOf(await counters.reserve(window, 5, T0 + 10));

      assert.deepEqual(await counters.reserve(window, 1, T0 + 30_000), { granted: false, remaining: 0, resetAtMs: T0 + WINDOW_MS });
      assert.equal((await counters.reserve(window, 1, T0 + WINDOW_MS - 1)).granted, false);
      assert.equal((await counters.reserve(window, 5, T0 + WINDOW_MS)).granted, true);
    });

    it('changes nothing for a settle that comes after its sub-window left the window', async () => {
      const window = newWindow(10);
      const late = reservationOf(await counters.reserve(window, 5, T0));
      await counters.reserve(window, 3, T0 + 30_000);

      await counters.settle(late, 9, T0 + WINDOW_MS + 1_000);

      assert.deepEqual(await counters.read(window, T0 + WINDOW_MS + 1_000), { used: 0, reserved: 3, resetAtMs: T0 + 30_000 + WINDOW_MS });
    });

    it('changes nothing for a settle whose sub-window a later reserve has already dropped from the store', async () => {
      const window = newWindow(10);
      const dropped = reservationOf(await counters.reserve(window, 5, T0));
      await counters.reserve(window, 2, T0 + WINDOW_MS + 1_000);

      // Settled by a clock behind the one that dropped it, to which the sub-window still looks live.
      await counters.settle(dropped, 9, T0 + 1_000);

      assert.deepEqual(await counters.read(window, T0 + WINDOW_MS + 1_000), {
        used: 0,
        reserved: 2,
        resetAtMs: T0 + WINDOW_MS + 1_000 + WINDOW_MS,
      });
    });

    it('keeps counters apart: a full counter leaves another with the same window untouched', async () => {
      const [full, other] = [newWindow(3), newWindow(3)];
      await counters.reserve(full, 3, T0);

      assert.equal((await counters.reserve(full, 1, T0)).granted, false);
      assert.equal((await counters.reserve(other, 3, T0)).granted, true);
      assert.deepEqual(await counters.read(other, T0), { used: 0, reserved: 3, resetAtMs: T0 + WINDOW_MS });
    });

    it('cuts a day into sub-windows of 24 minutes, aligned to the epoch', async () => {
      const day = newWindow(100, 86_400);
      const now = T0 + 25 * 60_000;

      const result = await counters.reserve(day, 1, now);

      assert.equal(reservationOf(result).subWindowStartMs, T0 + 24 * 60_000);
      assert.equal(result.resetAtMs, T0 + 24 * 60_000 + 86_400_000);
      assert.equal((await counters.read(day, T0 + 24 * 60_000 + 86_400_000)).reserved, 0);
    });
  });
}
