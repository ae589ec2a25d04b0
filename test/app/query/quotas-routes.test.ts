import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { configQuotaDefinitions, type QuotaInput } from '../../../lambdas/contract/quota-definition.js';
import { newGatewayKeyRecord, type GatewayKeyRecord } from '../../../lambdas/core/auth/gateway-key.js';
import { quotaCounterKey } from '../../../lambdas/core/quota/counter-keys.js';
import { FixedCounterReads, InMemoryQuotaStore } from '../../support/in-memory-quota-store.js';
import { ADMIN_KEY, QUERY_APP_KEY, inMemoryQueryService, queryRequest } from '../../support/in-memory-query-stores.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const freeDaily: QuotaInput = {
  name: 'free-daily',
  unit: 'usd',
  limit: 1,
  windowSeconds: 86400,
  scope: 'user',
  match: { properties: { tier: 'free' } },
};
const perKey: QuotaInput = { name: 'per-key', unit: 'requests', limit: 100, windowSeconds: 60, scope: 'key' };
const configQuotas = configQuotaDefinitions([freeDaily, { ...freeDaily, name: 'team/daily', scope: 'property:team' }]);

const webKey = newGatewayKeyRecord('lk_web_key_1', 'web-prod', 'app', 0);
const rotatedWebKey = { ...newGatewayKeyRecord('lk_web_key_0', 'web-prod', 'app', 0), revokedAt: '2026-01-01T00:00:00.000Z' };
const twinA = newGatewayKeyRecord('lk_twin_aaa', 'twin', 'app', 0);
const twinB = newGatewayKeyRecord('lk_twin_bbb', 'twin', 'app', 0);
const keys: GatewayKeyRecord[] = [rotatedWebKey, webKey, twinA, twinB];

let store: InMemoryQuotaStore;
let counters: FixedCounterReads;
let send: (method: string, pathAndQuery: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: any;
}

beforeEach(() => {
  store = new InMemoryQuotaStore();
  counters = new FixedCounterReads();
  const { service } = inMemoryQueryService(undefined, {
    configQuotas,
    quotaStore: store,
    quotaCounters: counters,
    keys: { list: async () => keys },
    now: () => NOW,
  });
  send = async (method, pathAndQuery, body, headers = { 'lookout-auth': `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }) => {
    const request = queryRequest(method, pathAndQuery, headers);
    const raw = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
    return (await service.handle({ ...request, body: Buffer.from(raw) })) as Answer;
  };
});

async function created(input: QuotaInput): Promise<string> {
  const answer = await send('POST', '/v1/quotas', input);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body.id;
}

function assertError(answer: Answer, status: number, code: string, message: RegExp): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.error.code, code);
  assert.match(answer.body.error.message, message);
}

describe('/v1/quotas', () => {
  it('lists the config quotas, read-only, then those made through the API', async () => {
    const id = await created(perKey);
    const answer = await send('GET', '/v1/quotas');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.quotas, [
      { id: 'config:free-daily', source: 'config', readOnly: true, ...freeDaily },
      { id: 'config:team/daily', source: 'config', readOnly: true, ...freeDaily, name: 'team/daily', scope: 'property:team' },
      { id, source: 'api', readOnly: false, ...perKey },
    ]);
  });

  it('makes a quota: 201 with its id, then found by it and stored as given', async () => {
    const answer = await send('POST', '/v1/quotas', perKey);
    assert.equal(answer.status, 201);
    assert.deepEqual(answer.body, { id: answer.body.id, source: 'api', readOnly: false, ...perKey });
    assert.match(answer.body.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(await store.get(answer.body.id), { ...perKey, id: answer.body.id, source: 'api' });
    assert.deepEqual((await send('GET', `/v1/quotas/${answer.body.id}`)).body, answer.body);
  });

  it('refuses a quota with a bad field, naming each field, what it must be and what was sent', async () => {
    assertError(
      await send('POST', '/v1/quotas', { ...perKey, limit: -1 }),
      400,
      'invalid_quota',
      /^limit: must be a number above 0, got -1$/,
    );
    assertError(
      await send('POST', '/v1/quotas', { ...perKey, limit: 1.5, scope: 'team' }),
      400,
      'invalid_quota',
      /^scope: must be "user", "key" or "property:<name>".*, got "team"; limit: must be a whole number of requests, got 1\.5$/,
    );
    const { windowSeconds: _, ...withoutWindow } = perKey;
    assertError(
      await send('POST', '/v1/quotas', withoutWindow),
      400,
      'invalid_quota',
      /^windowSeconds: must be whole seconds .*; it is missing$/,
    );
    assertError(
      await send('POST', '/v1/quotas', { ...perKey, windowSecs: 60 }),
      400,
      'invalid_quota',
      /^windowSecs: is not a quota field; the fields are name, unit, limit, windowSeconds, scope, match$/,
    );
    assertError(await send('POST', '/v1/quotas', [perKey]), 400, 'invalid_quota', /^must be a quota such as/);
    assert.equal(store.quotas.size, 0);
  });

  it('refuses a body that is not JSON, or not sent as JSON', async () => {
    assertError(await send('POST', '/v1/quotas', '{"name":'), 400, 'invalid_quota', /^The body is not JSON: /);
    assertError(
      await send('POST', '/v1/quotas', perKey, { 'lookout-auth': `Bearer ${ADMIN_KEY}`, 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type',
      /Content-Type: application\/json/,
    );
    assertError(
      await send('POST', '/v1/quotas', undefined, { 'lookout-auth': `Bearer ${ADMIN_KEY}` }),
      415,
      'unsupported_media_type',
      /JSON/,
    );
  });

  it('keeps names unique across the config and the API, so that a 429 names one quota', async () => {
    assertError(
      await send('POST', '/v1/quotas', freeDaily),
      409,
      'quota_name_taken',
      /^Quota config:free-daily is named "free-daily" already/,
    );
    const id = await created(perKey);
    assertError(await send('POST', '/v1/quotas', perKey), 409, 'quota_name_taken', new RegExp(`^Quota ${id} is named "per-key"`));
    const other = await created({ ...perKey, name: 'other' });
    assertError(await send('PUT', `/v1/quotas/${other}`, perKey), 409, 'quota_name_taken', /"per-key"/);
    assert.equal((await send('PUT', `/v1/quotas/${id}`, { ...perKey, limit: 5 })).status, 200, 'a quota keeps its own name');
  });

  it('replaces a quota made through the API, keeping its id', async () => {
    const id = await created(perKey);
    const answer = await send('PUT', `/v1/quotas/${id}`, { ...freeDaily, name: 'renamed' });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { id, source: 'api', readOnly: false, ...freeDaily, name: 'renamed' });
    assert.deepEqual((await send('GET', `/v1/quotas/${id}`)).body, answer.body);
    assertError(await send('PUT', `/v1/quotas/${id}`, { ...perKey, unit: 'cents' }), 400, 'invalid_quota', /^unit: /);
  });

  it('deletes a quota made through the API: 204, then 404', async () => {
    const id = await created(perKey);
    const answer = await send('DELETE', `/v1/quotas/${id}`);
    assert.equal(answer.status, 204);
    assert.equal(answer.body, undefined);
    assertError(await send('GET', `/v1/quotas/${id}`), 404, 'not_found', new RegExp(`^No quota ${id}$`));
    assertError(await send('DELETE', `/v1/quotas/${id}`), 404, 'not_found', /^No quota /);
  });

  it('answers 404 for an unknown quota on every route', async () => {
    assertError(await send('GET', '/v1/quotas/nope'), 404, 'not_found', /^No quota nope$/);
    assertError(await send('PUT', '/v1/quotas/nope', perKey), 404, 'not_found', /^No quota nope$/);
    assertError(await send('GET', '/v1/quotas/config:nope/usage?scopeValue=alice'), 404, 'not_found', /^No quota config:nope$/);
  });

  it('refuses to change or delete a config quota (409), which only a deploy changes', async () => {
    for (const answer of [
      await send('PUT', '/v1/quotas/config:free-daily', perKey),
      await send('DELETE', '/v1/quotas/config:free-daily'),
    ]) {
      assertError(
        answer,
        409,
        'quota_read_only',
        /^Quota config:free-daily is defined in lookout\.config\.ts; change it there and deploy$/,
      );
    }
    assert.equal((await send('GET', '/v1/quotas/config:free-daily')).body.readOnly, true);
  });

  it('finds a config quota whose name has a slash, percent-encoded or not', async () => {
    assert.equal((await send('GET', '/v1/quotas/config%3Ateam%2Fdaily')).body.id, 'config:team/daily');
    assert.equal((await send('GET', '/v1/quotas/config:team/daily')).body.id, 'config:team/daily');
    assert.equal((await send('GET', '/v1/quotas/config:team/daily/usage?scopeValue=ml')).body.quota.id, 'config:team/daily');
  });

  it('answers 405 with Allow for a method no quota route has', async () => {
    const answer = await send('PATCH', '/v1/quotas/abc', perKey);
    assert.equal(answer.status, 405);
    assert.equal(answer.headers.allow, 'GET, PUT, DELETE');
    assert.equal((await send('PUT', '/v1/quotas')).headers.allow, 'GET, POST');
  });

  it('needs an admin key on every route: 401 without a key, 403 with an app key, before the body is read', async () => {
    const routes: [string, string][] = [
      ['GET', '/v1/quotas'],
      ['POST', '/v1/quotas'],
      ['GET', '/v1/quotas/config:free-daily'],
      ['PUT', '/v1/quotas/config:free-daily'],
      ['DELETE', '/v1/quotas/config:free-daily'],
      ['GET', '/v1/quotas/config:free-daily/usage?scopeValue=alice'],
    ];
    for (const [method, path] of routes) {
      const withAppKey = await send(method, path, 'not json', {
        'lookout-auth': `Bearer ${QUERY_APP_KEY}`,
        'content-type': 'application/json',
      });
      assert.equal(withAppKey.status, 403, `${method} ${path}`);
      assert.equal((await send(method, path, perKey, {})).status, 401, `${method} ${path}`);
    }
    assert.equal(store.quotas.size, 0);
  });
});

describe('/v1/quotas/{id}/usage', () => {
  it("reads the scope value's counter, in USD for a usd quota", async () => {
    counters.counters.set(quotaCounterKey('config:free-daily', 'alice'), {
      used: 250_000_000,
      reserved: 100_000_000,
      resetAtMs: NOW + 3_600_000,
    });
    const answer = await send('GET', '/v1/quotas/config:free-daily/usage?scopeValue=alice');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      quota: { id: 'config:free-daily', source: 'config', readOnly: true, ...freeDaily },
      scopeValue: 'alice',
      used: 0.25,
      reserved: 0.1,
      limit: 1,
      remaining: 0.65,
      windowEnd: '2026-03-01T13:00:00.000Z',
    });
    assert.deepEqual(counters.reads, [{ counterKey: quotaCounterKey('config:free-daily', 'alice'), windowSeconds: 86400 }]);
  });

  it('counts nothing for a scope value never seen: all of the limit remains until a window from now', async () => {
    const answer = await send('GET', '/v1/quotas/config:team%2Fdaily/usage?scopeValue=ml');
    assert.deepEqual(
      { used: answer.body.used, reserved: answer.body.reserved, remaining: answer.body.remaining, windowEnd: answer.body.windowEnd },
      { used: 0, reserved: 0, remaining: 1, windowEnd: '2026-03-02T12:00:00.000Z' },
    );
  });

  it('never reports less than nothing remaining, when a settle counted more than was reserved', async () => {
    const id = await created({ ...perKey, scope: 'user' });
    counters.counters.set(quotaCounterKey(id, 'bob'), { used: 98, reserved: 5, resetAtMs: NOW });
    const answer = await send('GET', `/v1/quotas/${id}/usage?scopeValue=bob`);
    assert.deepEqual([answer.body.used, answer.body.reserved, answer.body.limit, answer.body.remaining], [98, 5, 100, 0]);
  });

  it("reads a key quota's counter by the key's name, which the gateway keeps under the key's hash", async () => {
    const id = await created(perKey);
    counters.counters.set(quotaCounterKey(id, webKey.keyHash), { used: 7, reserved: 1, resetAtMs: NOW });
    const answer = await send('GET', `/v1/quotas/${id}/usage?scopeValue=web-prod`);
    assert.equal(answer.status, 200);
    assert.deepEqual([answer.body.scopeValue, answer.body.used, answer.body.remaining], ['web-prod', 7, 92]);
  });

  it('takes a key prefix when several live keys share the name, and lists them', async () => {
    const id = await created(perKey);
    assertError(
      await send('GET', `/v1/quotas/${id}/usage?scopeValue=twin`),
      400,
      'invalid_parameter',
      new RegExp(`^scopeValue names 2 live keys \\(${twinA.keyPrefix}…, ${twinB.keyPrefix}…\\); give the prefix of the one you mean$`),
    );
    counters.counters.set(quotaCounterKey(id, twinB.keyHash), { used: 3, reserved: 0, resetAtMs: NOW });
    assert.equal((await send('GET', `/v1/quotas/${id}/usage?scopeValue=${twinB.keyPrefix}`)).body.used, 3);
  });

  it('answers 404 naming a key no one has', async () => {
    const id = await created(perKey);
    assertError(await send('GET', `/v1/quotas/${id}/usage?scopeValue=mobile`), 404, 'not_found', /^No gateway key is named "mobile"$/);
  });

  it('needs exactly one scopeValue, and no other parameter', async () => {
    for (const query of ['', '?scopeValue=', '?scopeValue=a&scopeValue=b', '?scopeValue=a&scope=user']) {
      const answer = await send('GET', `/v1/quotas/config:free-daily/usage${query}`);
      assertError(answer, 400, 'invalid_parameter', /^scope/);
    }
    assert.equal(counters.reads.length, 0);
  });
});
