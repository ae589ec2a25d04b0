/**
 * `/v1/quotas` on the local stack: config and API quotas through the HTTP front, stored in the
 * quotas table, and the usage route reading the counters table the gateway reserves on (here
 * the test reserves and settles through the same adapter, so the counters are known).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { quotaCountersFromEnv, type QuotaCountersBackend } from '../../lambdas/adapters/quota-counters-from-env.js';
import { hashGatewayKey } from '../../lambdas/core/auth/gateway-key.js';
import { quotaCounterKey } from '../../lambdas/core/quota/counter-keys.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';

const freeDaily = {
  name: 'free-daily',
  unit: 'usd',
  limit: 1,
  windowSeconds: 86400,
  scope: 'user',
  match: { properties: { tier: 'free' } },
} as const;
const perKey = { name: 'per-key', unit: 'requests', limit: 100, windowSeconds: 3600, scope: 'key' } as const;

let fx: StackFixture;
let adminKey: string;
let appKey: string;
let counters: QuotaCountersBackend;

before(async () => {
  fx = await startStackFixture({ quotas: [freeDaily] });
  adminKey = await fx.createKey('admin');
  appKey = await fx.createKey('app', 'web-prod');
  counters = quotaCountersFromEnv(fx.stack.lambdaEnvironment) ?? assert.fail('the local stack names no quota counters');
});
after(async () => {
  await counters?.close();
  await fx?.close();
});

async function api(method: string, path: string, body?: unknown, key = adminKey): Promise<{ status: number; body: any }> {
  const response = await fetch(`${fx.url}${path}`, {
    method,
    headers: { 'Lookout-Auth': `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

describe('/v1/quotas on the local stack', () => {
  test('lists the config quota, then makes, replaces and deletes one of its own', async () => {
    const made = await api('POST', '/v1/quotas', perKey);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const { id } = made.body;
    assert.deepEqual((await api('GET', '/v1/quotas')).body.quotas, [
      { id: 'config:free-daily', source: 'config', readOnly: true, ...freeDaily },
      { id, source: 'api', readOnly: false, ...perKey },
    ]);
    const replaced = await api('PUT', `/v1/quotas/${id}`, { ...perKey, limit: 50 });
    assert.equal(replaced.status, 200);
    assert.equal((await api('GET', `/v1/quotas/${id}`)).body.limit, 50);
    assert.equal((await api('DELETE', `/v1/quotas/${id}`)).status, 204);
    assert.equal((await api('GET', `/v1/quotas/${id}`)).status, 404);
  });

  test('names the bad field, refuses to change a config quota, and refuses an app key', async () => {
    const bad = await api('POST', '/v1/quotas', { ...perKey, windowSeconds: 0 });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /^windowSeconds: must be whole seconds from 1 to 31536000, got 0$/);
    assert.equal((await api('DELETE', '/v1/quotas/config:free-daily')).body.error.code, 'quota_read_only');
    assert.equal((await api('GET', '/v1/quotas', undefined, appKey)).status, 403);
    assert.equal((await api('POST', '/v1/quotas', perKey, appKey)).status, 403);
  });

  test("reads a user's counter in USD, reserved then settled", async () => {
    const window = { counterKey: quotaCounterKey('config:free-daily', 'alice'), windowSeconds: 86400, limit: 1_000_000_000 };
    const reserved = await counters.counters.reserve(window, 400_000_000, Date.now());
    assert.ok(reserved.granted);
    const usage = async () => (await api('GET', '/v1/quotas/config:free-daily/usage?scopeValue=alice')).body;
    assert.deepEqual([(await usage()).used, (await usage()).reserved, (await usage()).remaining], [0, 0.4, 0.6]);
    await counters.counters.settle(reserved.reservation, 150_000_000, Date.now());
    const settled = await usage();
    assert.deepEqual([settled.used, settled.reserved, settled.remaining, settled.limit], [0.15, 0, 0.85, 1]);
    assert.ok(Date.parse(settled.windowEnd) > Date.now());
  });

  test("reads a key quota's counter by the key's name", async () => {
    const { id } = (await api('POST', '/v1/quotas', { ...perKey, name: 'per-key-usage' })).body;
    const window = { counterKey: quotaCounterKey(id, hashGatewayKey(appKey)), windowSeconds: 3600, limit: 100 };
    assert.ok((await counters.counters.reserve(window, 3, Date.now())).granted);
    const usage = await api('GET', `/v1/quotas/${id}/usage?scopeValue=web-prod`);
    assert.equal(usage.status, 200, JSON.stringify(usage.body));
    assert.deepEqual([usage.body.reserved, usage.body.remaining], [3, 97]);
    assert.equal((await api('GET', `/v1/quotas/${id}/usage?scopeValue=nobody`)).status, 404);
  });
});
