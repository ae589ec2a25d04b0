import { setTimeout as delay } from 'node:timers/promises';
import * as z from 'zod';
import {
  QuotaCounterContentionError,
  type CounterUsage,
  type QuotaCounters,
  type QuotaWindow,
  type Reservation,
  type ReserveResult,
} from '../../core/ports/quota-counters.js';
import { counterUsageOf } from '../../core/quota/counter-usage.js';
import { decideReservation, isLive, subWindowMs, subWindowStartOf, type SubWindowCounts } from '../../core/quota/sub-windows.js';
import type { DynamoDbJsonClient } from './dynamodb-json-client.js';
import { ConditionalCheckFailedError } from './dynamodb-json-errors.js';

/**
 * The quota counters on DynamoDB (the default store), on the lean client: one item per counter
 * (`quotaCountersTableSchema`), `{ counterKey, subWindows: { "<start ms>": { used, reserved } },
 * version, expiresAt }`, `expiresAt` (epoch seconds) being the table's TTL, window + one
 * sub-window after the last reserve: by then nothing in the item is in the window.
 *
 * A reserve is a compare-and-swap: a strongly consistent read, `decideReservation`, then a put of
 * the whole item (the expired sub-windows dropped, the amount added to the current one) on the
 * condition that `version` is still the one read. Two reserves that read the same version cannot
 * both write, so none is ever granted on a count that another has changed; the loser reads
 * again, after a jittered pause, up to `RESERVE_ATTEMPTS` times, and past that rejects with a
 * `QuotaCounterContentionError` (the caller refuses the request: see the port).
 *
 * A settle is no compare-and-swap: it is one UpdateItem whose expression does the arithmetic on
 * the stored values (`reserved - :amount`, `used + :actual`) on the condition that the
 * reservation's sub-window is still in the item. Arithmetic in an expression applies to the item
 * as it is at the write, so concurrent settles all count, without a read or a retry. It also
 * raises `version`, so that a reserve that read the item before the settle fails its condition
 * instead of putting back the count the settle replaced.
 *
 * The swaps of one process never race each other: its writes to one counter go one at a time
 * (`OneAtATimePerKey`). A Lambda instance serves one request at a time, so there it costs
 * nothing; where one process serves many at once (`npm start`), they would otherwise spend their
 * attempts losing to each other, where in turn each wins its first. What is left to the swap is
 * contention between processes (Lambda instances).
 *
 * Writes are not retried by the client (`SINGLE_ATTEMPT` in `quota-counters-from-env.ts`): a
 * settle whose answer was lost may have been applied, and applying it twice would free room
 * that was spent.
 */

/**
 * Reads and conditional writes per reserve, at most. With the pauses between them (up to 380 ms
 * in all, 190 on average) and DynamoDB's few milliseconds per call, a reserve that loses them all
 * gives up around the default `quotaTimeoutMs` (500 ms), past which its answer would come too late.
 */
export const RESERVE_ATTEMPTS = 10;
/** The pause after the first lost swap is up to this long, each further one up to twice the one before, capped. */
const RETRY_BASE_DELAY_MS = 4;
const RETRY_MAX_DELAY_MS = 64;

/** A reserve that lost every compare-and-swap it tried: so many reserves at once on one counter that it could not get a turn. */

const countsSchema = z.object({ used: z.number(), reserved: z.number() });
const itemSchema = z.object({ version: z.number(), subWindows: z.record(z.string(), countsSchema) });
type CounterItem = z.infer<typeof itemSchema>;

export interface QuotaCounterTableOptions {
  /** A client that makes one attempt per call (see above). */
  dynamoDb: DynamoDbJsonClient;
  tableName: string;
}

export class QuotaCounterTable implements QuotaCounters {
  private readonly dynamoDb: DynamoDbJsonClient;
  private readonly tableName: string;
  private readonly writes = new OneAtATimePerKey();

  constructor({ dynamoDb, tableName }: QuotaCounterTableOptions) {
    this.dynamoDb = dynamoDb;
    this.tableName = tableName;
  }

  reserve(window: QuotaWindow, amount: number, nowMs: number): Promise<ReserveResult> {
    return this.writes.run(window.counterKey, () => this.swap(window, amount, nowMs));
  }

  settle(reservation: Reservation, actual: number, nowMs: number): Promise<void> {
    return this.writes.run(reservation.counterKey, () => this.update(reservation, actual, nowMs));
  }

  async read({ counterKey, windowSeconds }: Omit<QuotaWindow, 'limit'>, nowMs: number): Promise<CounterUsage> {
    return counterUsageOf(subWindowsOf(await this.getItem(counterKey)), nowMs, windowSeconds);
  }

  private async swap({ counterKey, windowSeconds, limit }: QuotaWindow, amount: number, nowMs: number): Promise<ReserveResult> {
    const subWindowStartMs = subWindowStartOf(nowMs, windowSeconds);
    for (let attempt = 1; ; attempt++) {
      const item = await this.getItem(counterKey);
      const subWindows = subWindowsOf(item);
      const decision = decideReservation(subWindows, amount, limit, nowMs, windowSeconds);
      if (!decision.fits) return { granted: false, remaining: decision.remainingAfter, resetAtMs: decision.resetAtMs };
      for (const startMs of decision.expired) subWindows.delete(startMs);
      const current = subWindows.get(subWindowStartMs) ?? { used: 0, reserved: 0 };
      subWindows.set(subWindowStartMs, { ...current, reserved: current.reserved + amount });
      try {
        await this.putIfVersion(counterKey, subWindows, item?.version, nowMs, windowSeconds);
        const reservation = { counterKey, windowSeconds, subWindowStartMs, amount };
        return { granted: true, reservation, remaining: decision.remainingAfter, resetAtMs: decision.resetAtMs };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedError)) throw error;
      }
      if (attempt >= RESERVE_ATTEMPTS) throw new QuotaCounterContentionError(counterKey, attempt);
      await delay(Math.random() * Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** (attempt - 1)));
    }
  }

  private async update({ counterKey, windowSeconds, subWindowStartMs, amount }: Reservation, actual: number, nowMs: number): Promise<void> {
    // Left the window: nothing to change, and no call to make.
    if (!isLive(subWindowStartMs, nowMs, windowSeconds)) return;
    try {
      await this.dynamoDb.updateItem({
        TableName: this.tableName,
        Key: { counterKey },
        UpdateExpression:
          'SET #sw.#start.#reserved = #sw.#start.#reserved - :amount, #sw.#start.#used = #sw.#start.#used + :actual, #version = #version + :one',
        ConditionExpression: 'attribute_exists(#sw.#start)',
        ExpressionAttributeNames: {
          '#sw': 'subWindows',
          '#start': String(subWindowStartMs),
          '#reserved': 'reserved',
          '#used': 'used',
          '#version': 'version',
        },
        ExpressionAttributeValues: { ':amount': amount, ':actual': actual, ':one': 1 },
      });
    } catch (error) {
      // The sub-window was dropped by a later reserve, or the item expired: the reservation left with it.
      if (!(error instanceof ConditionalCheckFailedError)) throw error;
    }
  }

  /**
   * The counter's item, read strongly consistent: a stale read would cost a lost swap, or refuse
   * a reserve on a count that has gone down since, and `read` would lag the writes.
   */
  private async getItem(counterKey: string): Promise<CounterItem | undefined> {
    const item = await this.dynamoDb.getItem({ TableName: this.tableName, Key: { counterKey }, ConsistentRead: true });
    if (item === undefined) return undefined;
    const parsed = itemSchema.safeParse(item);
    if (!parsed.success) throw new Error(`the quota counter ${counterKey} has an item that is not a counter: ${parsed.error.message}`);
    return parsed.data;
  }

  /** Writes the counter as version `readVersion + 1`, only if it is still `readVersion` (or, with none read, still absent). */
  private async putIfVersion(
    counterKey: string,
    subWindows: ReadonlyMap<number, SubWindowCounts>,
    readVersion: number | undefined,
    nowMs: number,
    windowSeconds: number,
  ): Promise<void> {
    const expiresAt = Math.ceil((nowMs + windowSeconds * 1000 + subWindowMs(windowSeconds)) / 1000);
    await this.dynamoDb.putItem({
      TableName: this.tableName,
      Item: {
        counterKey,
        subWindows: Object.fromEntries([...subWindows].map(([startMs, counts]) => [String(startMs), counts])),
        version: (readVersion ?? 0) + 1,
        expiresAt,
      },
      ...(readVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(counterKey)' }
        : {
            ConditionExpression: '#version = :read',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':read': readVersion },
          }),
    });
  }
}

function subWindowsOf(item: CounterItem | undefined): Map<number, SubWindowCounts> {
  return new Map(Object.entries(item?.subWindows ?? {}).map(([startMs, counts]) => [Number(startMs), counts]));
}

/** Runs the tasks of one key one after another, each once the one before has settled; those of different keys at once. */
class OneAtATimePerKey {
  /** The last task of each key with tasks pending, its outcome dropped (its caller has it). */
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    const result = previous ? previous.then(task) : task();
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
