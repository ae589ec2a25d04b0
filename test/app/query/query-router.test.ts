import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryRequestLogReads, inMemoryQueryService, queryRequest } from '../../support/in-memory-query-stores.js';
import { logRecord } from '../../support/request-log-records.js';

const NOW = Date.now();
const reads = new InMemoryRequestLogReads([
  logRecord({ id: 'abc-123', createdAtMs: NOW - 60_000, userId: 'alice', sessionId: 's 1' }),
  logRecord({ id: 'team/r', createdAtMs: NOW - 30_000, userId: 'team/alice' }),
]);
const { service, logged } = inMemoryQueryService(reads);
const get = async (pathAndQuery: string, method = 'GET', headers?: Record<string, string>) =>
  service.handle(queryRequest(method, pathAndQuery, headers));
const body = async (pathAndQuery: string) => {
  const response = await get(pathAndQuery);
  assert.equal(response.status, 200, `${pathAndQuery}: ${JSON.stringify(response.body)}`);
  return response.body as Record<string, any>;
};

/** The user id `/v1/users/<raw>/usage` reads, as the router decodes it. */
const decodePathSegment = async (_label: string, raw: string) => (await body(`/v1/users/${raw}/usage`)).userId;

describe('the query router', () => {
  it('finds every endpoint and decodes path ids', async () => {
    assert.deepEqual(await body('/healthz'), { status: 'ok' });
    assert.equal((await body('/v1/openapi.json')).openapi, '3.1.0');
    assert.deepEqual(
      (await body('/v1/requests')).requests.map((request: { id: string }) => request.id),
      ['team/r', 'abc-123'],
    );
    assert.equal((await body('/v1/requests/')).requests.length, 2);
    assert.equal((await body('/v1/requests/abc-123')).id, 'abc-123');
    assert.equal((await body('/v1/requests/team/r')).id, 'team/r');
    assert.deepEqual((await body('/v1/users')).users.map((row: { userId: string }) => row.userId).sort(), ['alice', 'team/alice']);
    assert.equal((await body('/v1/users/alice%40example.com/usage')).userId, 'alice@example.com');
    assert.equal((await body('/v1/users/team/alice/usage')).requests, 1);
    assert.equal((await body('/v1/sessions/s%201')).sessionId, 's 1');
    assert.deepEqual(
      (await body('/v1/sessions')).sessions.map((row: { sessionId: string }) => row.sessionId),
      ['s 1'],
    );
    assert.equal((await body('/v1/metrics?metric=requests')).series[0].requests, 2);
    assert.deepEqual((await body('/v1/metrics/dimensions')).dimensions, ['user', 'model', 'provider', 'key']);
    assert.equal((await body('/v1/cache/stats')).totals.hits, 0);
  });

  it('answers 404 for unknown paths and 405 for other methods, with Allow', async () => {
    for (const path of ['/v1/nothing-here', '/v1/users/alice', '/v2/requests']) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.equal((response.body as { error: { code: string } }).error.code, 'not_found');
    }
    for (const [method, path] of [
      ['POST', '/v1/requests'],
      ['DELETE', '/v1/requests/abc'],
      ['PUT', '/v1/users/alice/usage'],
    ] as const) {
      const response = await get(path, method);
      assert.equal(response.status, 405, `${method} ${path}`);
      assert.equal(response.headers.allow, 'GET');
      assert.deepEqual(response.body, { error: { code: 'method_not_allowed', message: `${path} accepts GET, not ${method}` } });
    }
  });

  it('refuses HEAD, as API Gateway would not strip the body of a GET answer', async () => {
    const response = await get('/healthz', 'HEAD');
    assert.equal(response.status, 405);
    assert.equal(response.headers.allow, 'GET');
  });

  it('names the proxy routes when an SDK meant for a provider lands here', async () => {
    const response = await get('/v1/chat/completions', 'POST');
    assert.equal(response.status, 404);
    assert.match((response.body as { error: { message: string } }).error.message, /<lookout>\/openai\/v1/);
  });

  it('leaves only health and the OpenAPI document public', async () => {
    for (const path of ['/healthz', '/v1/openapi.json']) assert.equal((await get(path, 'GET', {})).status, 200, path);
    for (const path of [
      '/v1/requests',
      '/v1/requests/abc-123',
      '/v1/users',
      '/v1/users/alice/usage',
      '/v1/sessions',
      '/v1/sessions/s%201',
      '/v1/metrics?metric=requests',
      '/v1/metrics/dimensions',
      '/v1/cache/stats',
    ]) {
      assert.equal((await get(path, 'GET', {})).status, 401, path);
    }
  });

  it('checks the key before the parameters', async () => {
    assert.equal((await get('/v1/requests?limit=0', 'GET', {})).status, 401);
    assert.equal((await get('/v1/sessions/%20', 'GET', {})).status, 401);
  });

  it('answers every response as uncached JSON', async () => {
    for (const path of ['/healthz', '/v1/requests', '/v1/nothing', '/v1/requests?limit=0']) {
      const { headers } = await get(path);
      assert.equal(headers['content-type'], 'application/json; charset=utf-8', path);
      assert.equal(headers['cache-control'], 'no-store', path);
    }
  });

  it('hides unexpected failures behind a logged 500', async () => {
    class BurningReads extends InMemoryRequestLogReads {
      override async findById(): Promise<never> {
        throw new Error('table on fire');
      }
    }
    const failing = inMemoryQueryService(new BurningReads());
    const response = await failing.service.handle(queryRequest('GET', '/v1/requests/abc-123'));
    assert.equal(response.status, 500);
    assert.deepEqual(response.body, { error: { code: 'internal_error', message: 'The query failed unexpectedly; it has been logged.' } });
    assert.match(String(failing.logged[0]?.extra.error), /table on fire/);
    assert.deepEqual(logged, []);
  });
});

describe('path ids', () => {
  it('percent-decodes ids, slashes included', async () => {
    assert.equal(await decodePathSegment('user id', 'alice%40example.com'), 'alice@example.com');
    assert.equal(await decodePathSegment('user id', 'team%2Falice'), 'team/alice');
  });

  it('keeps a segment that is not valid percent-encoding as it is', async () => {
    assert.equal(await decodePathSegment('user id', '100%'), '100%');
    assert.equal(await decodePathSegment('user id', '100%2541'), '100%41');
  });

  it('refuses ids too long to be an index key, naming them', async () => {
    const cases: [string, string][] = [
      [`/v1/users/${'x'.repeat(1025)}/usage`, 'user id'],
      [`/v1/sessions/${'x'.repeat(1025)}`, 'session id'],
      ['/v1/requests/%20', 'request id'],
    ];
    for (const [path, label] of cases) {
      const response = await get(path);
      assert.equal(response.status, 400, path);
      assert.ok((response.body as { error: { message: string } }).error.message.startsWith(label), JSON.stringify(response.body));
    }
  });
});
