/**
 * The Redis backend of the quota counters against Debian's `redis-server`, started by each
 * describe on its own free port: the port's contract on a standalone server and on a one-node
 * cluster (cluster mode, as ElastiCache Serverless always is: each script touches one key, so one
 * hash slot), then what is particular to Redis: the hash and its expiry, the scripts sent again
 * in full when the server has forgotten them, and a prompt rejection while the server is down.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'iovalkey';
import {
  counterHashKey,
  redisQuotaCountersFromUrl,
  type RedisQuotaCounters,
} from '../../../lambdas/adapters/redis/redis-quota-counters.js';
import { RedisServer } from '../../support/redis-server.js';
import { describeQuotaCountersContract, newWindow, reservationOf, T0 } from '../quota-counters-contract.js';

/** Longest wait for the client to be back after the server restarts (its backoff is capped at 2 s). */
const RECONNECT_WAIT_MS = 10_000;
/** What "promptly" means for a call while the server is down: no queue, no retry, well inside `quotaTimeoutMs` (500 ms). */
const PROMPT_FAILURE_MS = 200;

for (const cluster of [false, true]) {
  describe(cluster ? 'RedisQuotaCounters in cluster mode (a one-node cluster)' : 'RedisQuotaCounters on a standalone server', () => {
    let server: RedisServer;
    before(async () => {
      server = await RedisServer.start({ cluster });
    });
    after(async () => {
      await server?.dispose();
    });

    describeQuotaCountersContract(cluster ? 'Redis, cluster mode' : 'Redis, standalone', async () => {
      const counters = redisQuotaCountersFromUrl(server.url, { cluster });
      return { counters, close: () => counters.close() };
    });
  });
}

describe('RedisQuotaCounters storage', () => {
  let server: RedisServer;
  let counters: RedisQuotaCounters;
  let admin: Redis;
  before(async () => {
    server = await RedisServer.start();
    counters = redisQuotaCountersFromUrl(server.url, { cluster: false });
    admin = new Redis(server.port, '127.0.0.1');
  });
  after(async () => {
    admin?.disconnect();
    await counters?.close();
    await server?.dispose();
  });

  it('keeps a counter in one hash, a used and a reserved field per sub-window, expiring a window and a sub-window after the last reserve', async () => {
    const window = newWindow(100);
    const reservation = reservationOf(await counters.reserve(window, 7, T0 + 1_500));
    await counters.settle(reservation, 4, T0 + 2_000);
    await counters.reserve(window, 2, T0 + 3_000);

    const key = counterHashKey(window.counterKey);
    assert.equal(key, `lookout:quota:{${window.counterKey}}`);
    assert.deepEqual(await admin.hgetall(key), { [`r:${T0 + 1_000}`]: '0', [`u:${T0 + 1_000}`]: '4', [`r:${T0 + 3_000}`]: '2' });
    const ttlMs = await admin.pttl(key);
    assert.ok(ttlMs > 60_000 && ttlMs <= 61_000, `expires in ${ttlMs} ms`);
  });

  it('drops the fields of sub-windows that left the window as it reserves', async () => {
    const window = newWindow(100);
    await counters.reserve(window, 5, T0);
    await counters.reserve(window, 1, T0 + 30_000);

    await counters.reserve(window, 2, T0 + 60_000);

    assert.deepEqual(await admin.hgetall(counterHashKey(window.counterKey)), {
      [`r:${T0 + 30_000}`]: '1',
      [`r:${T0 + 60_000}`]: '2',
    });
  });

  it('counts amounts past what a Lua number prints in full (nano-USD of a large quota)', async () => {
    const limit = 5_000_000_000_000_000; // $5,000,000 in nano-USD: printed by Lua as 5e+15
    const window = newWindow(limit);

    const result = await counters.reserve(window, 1_000_000_000_000_001, T0);

    assert.equal(result.remaining, 3_999_999_999_999_999);
    assert.equal((await counters.read(window, T0)).reserved, 1_000_000_000_000_001);
  });

  it('sends a script in full when the server has forgotten it (SCRIPT FLUSH, as after a restart or failover)', async () => {
    const window = newWindow(10);
    const reservation = reservationOf(await counters.reserve(window, 3, T0));

    await admin.script('FLUSH');
    await counters.settle(reservation, 1, T0 + 1);
    await admin.script('FLUSH');
    assert.equal((await counters.reserve(window, 9, T0 + 2)).granted, true);

    assert.deepEqual(await counters.read(window, T0 + 2), { used: 1, reserved: 9, resetAtMs: T0 + 60_000 });
  });
});

describe('RedisQuotaCounters when the server goes away', () => {
  let server: RedisServer;
  let counters: RedisQuotaCounters;
  before(async () => {
    server = await RedisServer.start();
    counters = redisQuotaCountersFromUrl(server.url, { cluster: false });
  });
  after(async () => {
    await counters?.close();
    await server?.dispose();
  });

  it('rejects reserve, settle and read at once while the server is down, and counts again once it is back', async () => {
    const window = newWindow(10);
    const reservation = reservationOf(await counters.reserve(window, 2, T0));

    await server.stop();
    for (const call of [
      () => counters.reserve(window, 1, T0 + 1),
      () => counters.settle(reservation, 1, T0 + 1),
      () => counters.read(window, T0 + 1),
    ]) {
      const started = performance.now();
      await assert.rejects(call());
      const tookMs = performance.now() - started;
      assert.ok(tookMs < PROMPT_FAILURE_MS, `rejected after ${Math.round(tookMs)} ms`);
    }

    await server.restart();
    const deadline = Date.now() + RECONNECT_WAIT_MS;
    let result: Awaited<ReturnType<RedisQuotaCounters['reserve']>> | undefined;
    while (result === undefined) {
      result = await counters.reserve(window, 10, T0 + 2).catch((error: unknown) => {
        if (Date.now() > deadline) throw error;
        return undefined;
      });
      if (result === undefined) await delay(50);
    }
    // The server kept nothing (no persistence): the counter starts again, empty.
    assert.equal(result.granted, true);
  });
});
