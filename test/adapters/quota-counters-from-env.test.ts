/**
 * Which quota counters an environment gets: Redis when `LOOKOUT_REDIS_URL` is set (against a
 * real redis-server, on the one connection the response cache of the same process uses), the
 * DynamoDB table when only `LOOKOUT_QUOTA_COUNTERS_TABLE` is, none otherwise.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'iovalkey';
import { QuotaCounterTable } from '../../lambdas/adapters/dynamodb/quota-counter-table.js';
import { quotaCountersFromEnv } from '../../lambdas/adapters/quota-counters-from-env.js';
import { responseCacheFromEnv } from '../../lambdas/adapters/response-cache-from-env.js';
import { EnvironmentVariable } from '../../lambdas/contract/environment-variables.js';
import { RedisServer } from '../support/redis-server.js';
import { newWindow, T0 } from './quota-counters-contract.js';
import { bufferedAnswer, newBucketKey } from './response-cache-contract.js';

const TABLE_ENV = {
  AWS_REGION: 'local',
  [EnvironmentVariable.dynamodbEndpoint]: 'http://127.0.0.1:1',
  [EnvironmentVariable.quotaCountersTable]: 'lookout-quota-counters',
};
/** Longest wait for the server to see a closed connection go. */
const DISCONNECT_WAIT_MS = 5_000;

describe('quotaCountersFromEnv', () => {
  let server: RedisServer;
  let admin: Redis;
  before(async () => {
    server = await RedisServer.start();
    admin = new Redis(server.port, '127.0.0.1');
  });
  after(async () => {
    admin?.disconnect();
    await server?.dispose();
  });

  /** The server's client connections, the admin's own left out. */
  async function otherClients(): Promise<number> {
    const list = String(await admin.call('CLIENT', 'LIST'));
    return list.trim().split('\n').length - 1;
  }

  it('configures no counters when neither a Redis URL nor a counters table is set', () => {
    assert.equal(quotaCountersFromEnv({ AWS_REGION: 'eu-west-1' }), undefined);
  });

  it('uses the DynamoDB table when only LOOKOUT_QUOTA_COUNTERS_TABLE is set', () => {
    assert.ok(quotaCountersFromEnv(TABLE_ENV)?.counters instanceof QuotaCounterTable);
  });

  it('uses Redis when LOOKOUT_REDIS_URL is set, even beside a counters table', async () => {
    const backend = quotaCountersFromEnv({ ...TABLE_ENV, [EnvironmentVariable.redisUrl]: server.url });
    assert.ok(backend);
    try {
      assert.ok(!(backend.counters instanceof QuotaCounterTable));
      const window = newWindow(5);
      const result = await backend.counters.reserve(window, 2, T0);
      assert.ok(result.granted);
      await backend.counters.settle(result.reservation, 1, T0);
      assert.deepEqual(await backend.counters.read(window, T0), { used: 1, reserved: 0, resetAtMs: T0 + 60_000 });
    } finally {
      await backend.close();
    }
  });

  it('shares one connection with the response cache of the same process, closed when both have let go', async () => {
    const env = { [EnvironmentVariable.redisUrl]: server.url };
    const cache = responseCacheFromEnv(env);
    const quotas = quotaCountersFromEnv(env);
    assert.ok(cache && quotas);

    await cache.cache.write(newBucketKey(), 0, bufferedAnswer('shared'), 60);
    await quotas.counters.reserve(newWindow(5), 1, T0);
    assert.equal(await otherClients(), 1);

    await cache.close();
    assert.equal((await quotas.counters.reserve(newWindow(5), 1, T0)).granted, true, 'the counters still work once the cache has let go');
    await quotas.close();
    const deadline = Date.now() + DISCONNECT_WAIT_MS;
    while ((await otherClients()) > 0 && Date.now() < deadline) await delay(20);
    assert.equal(await otherClients(), 0);
  });

  it('rejects every call with the reason when the Redis URL cannot be used', async () => {
    const backend = quotaCountersFromEnv({ [EnvironmentVariable.redisUrl]: 'http://127.0.0.1:6379' });
    assert.ok(backend);

    await assert.rejects(backend.counters.reserve(newWindow(5), 1, T0), /redis:\/\/ or rediss:\/\//);
    await assert.rejects(backend.counters.read(newWindow(5), T0), /redis:\/\/ or rediss:\/\//);
    await backend.close();
  });

  it('refuses a LOOKOUT_REDIS_CLUSTER that is neither true nor false', () => {
    assert.throws(
      () => quotaCountersFromEnv({ [EnvironmentVariable.redisUrl]: server.url, [EnvironmentVariable.redisCluster]: 'yes' }),
      /LOOKOUT_REDIS_CLUSTER must be true or false, not "yes"/,
    );
  });
});
