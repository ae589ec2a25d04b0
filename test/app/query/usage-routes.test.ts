import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OTHER_VALUE } from '../../../lambdas/core/rollups/rollup-dimensions.js';
import type { RequestLogRecord } from '../../../lambdas/core/request-log/request-log-record.js';
import { InMemoryRequestLogReads, inMemoryQueryService, queryRequest, RollupsOfRecords } from '../../support/in-memory-query-stores.js';
import { InMemoryRollups } from '../../support/in-memory-rollups.js';
import { logRecord } from '../../support/request-log-records.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12, 30, 0);
const iso = (ms: number) => new Date(ms).toISOString();

let n = 0;
const at = (createdAtMs: number, overrides: Partial<RequestLogRecord> = {}) => logRecord({ id: `r${++n}`, createdAtMs, ...overrides });

const RECORDS = [
  at(NOW - 10 * MINUTE_MS, {
    userId: 'alice',
    costNanoUsd: 300_000_000,
    cacheStatus: 'hit',
    savedNanoUsd: 5_000_000,
    savedTotalTokens: 15,
  }),
  at(NOW - 5 * HOUR_MS, { userId: 'alice', costNanoUsd: 100_000_000, status: 500, outcome: 'upstream_error', cacheStatus: 'miss' }),
  at(NOW - 3 * DAY_MS, { userId: 'bob', costNanoUsd: 900_000_000, properties: { feature: 'chat' }, cacheStatus: 'miss' }),
  at(NOW - 20 * MINUTE_MS, { userId: 'bob', rateLimited: true, status: 429, outcome: 'rejected', costNanoUsd: null }),
  at(NOW - 2 * MINUTE_MS, { userId: null, costNanoUsd: 5_000_000_000, cacheStatus: 'unavailable', properties: { feature: 'chat' } }),
  at(NOW - 40 * DAY_MS, { userId: 'carol', costNanoUsd: 1 }),
];

function service(records = RECORDS, indexedProperties: string[] = ['feature']) {
  const rollups = new RollupsOfRecords(records, indexedProperties).rollups();
  const svc = inMemoryQueryService(new InMemoryRequestLogReads(records), { rollups, indexedProperties, now: () => NOW }).service;
  return { svc, rollups };
}

async function get(svc: ReturnType<typeof service>['svc'], pathAndQuery: string): Promise<any> {
  const response = await svc.handle(queryRequest('GET', pathAndQuery));
  assert.equal(response.status, 200, `${pathAndQuery}: ${JSON.stringify(response.body)}`);
  return response.body;
}

describe('GET /v1/users from the rollups', () => {
  it('ranks users by cost over the window, requests without a user counting for nobody', async () => {
    const { svc } = service();
    const body = await get(svc, '/v1/users');
    assert.deepEqual(
      body.users.map((row: any) => [row.userId, row.requests, row.costUsd, row.errors, row.rateLimitedRequests]),
      [
        ['bob', 2, 0.9, 1, 1],
        ['alice', 2, 0.4, 1, 0],
      ],
      "carol's request is older than the log's 30 days",
    );
    assert.equal(body.users[1].lastSeenAt, iso(RECORDS[0]!.createdAtMs));
    assert.equal(body.users[0].flagged, true, 'refused by a quota in the range');
    assert.equal('truncated' in body, false);
  });

  it('widens the window to the finest bucket size kept at its start, and reads whole hours and days as one bucket', async () => {
    const { svc, rollups } = service();
    const recent = await get(svc, `/v1/users?from=${iso(NOW - 90 * MINUTE_MS + 30_000)}&to=${iso(NOW - 15 * MINUTE_MS - 1)}`);
    assert.equal(recent.from, iso(NOW - 90 * MINUTE_MS));
    assert.equal(recent.to, iso(NOW - 15 * MINUTE_MS));
    assert.deepEqual(
      recent.users.map((row: any) => row.userId),
      ['bob'],
    );
    // 11:00 to 12:15 by minute would be 75 reads: the hour from 11:00 is one, then 15 minutes.
    assert.equal(rollups.groupReads.length, 1 + 15);
    assert.deepEqual(rollups.groupReads[0]!.time, { resolution: 'hour', startMs: NOW - 90 * MINUTE_MS });
    const older = await get(svc, `/v1/users?from=${iso(NOW - 4 * DAY_MS - 30 * MINUTE_MS)}&to=${iso(NOW - 2 * DAY_MS - 1)}`);
    assert.equal(older.from, iso(Date.UTC(2026, 0, 11, 12)), 'minute buckets have expired 4 days back: floored to the hour');
    assert.equal(older.to, iso(Date.UTC(2026, 0, 13, 13)));
    assert.deepEqual(
      older.users.map((row: any) => [row.userId, row.costUsd]),
      [['bob', 0.9]],
    );
  });

  it("counts users past the cardinality guard as the user '(other)'", async () => {
    const rollups = new InMemoryRollups();
    const folded = at(NOW - MINUTE_MS, { userId: 'zed', costNanoUsd: 7 });
    rollups.addRequest(folded, new Map([['user', OTHER_VALUE]]));
    const svc = inMemoryQueryService(undefined, { rollups, now: () => NOW }).service;
    assert.deepEqual(
      (await get(svc, '/v1/users')).users.map((row: any) => row.userId),
      [OTHER_VALUE],
    );
  });
});

describe('GET /v1/users?orderBy=', () => {
  const records = [
    at(NOW - 3 * MINUTE_MS, { userId: 'ann', costNanoUsd: 1_000_000 }),
    at(NOW - 4 * MINUTE_MS, { userId: 'ann', costNanoUsd: 1_000_000 }),
    at(NOW - 5 * MINUTE_MS, { userId: 'ann', costNanoUsd: 1_000_000 }),
    at(NOW - 6 * MINUTE_MS, { userId: 'ben', costNanoUsd: 500_000_000 }),
    at(NOW - 7 * MINUTE_MS, { userId: 'cy', status: 500, outcome: 'upstream_error', costNanoUsd: null }),
    at(NOW - 8 * MINUTE_MS, { userId: 'cy', status: 502, outcome: 'upstream_error', costNanoUsd: null }),
  ];
  const users = async (query: string) => (await get(service(records).svc, `/v1/users${query}`)).users.map((row: any) => row.userId);

  it('ranks by cost by default, and by requests or errors when asked', async () => {
    assert.deepEqual(await users(''), ['ben', 'ann', 'cy']);
    assert.deepEqual(await users('?orderBy=cost'), ['ben', 'ann', 'cy']);
    assert.deepEqual(await users('?orderBy=requests'), ['ann', 'cy', 'ben']);
    assert.deepEqual(await users('?orderBy=errors&limit=2'), ['cy', 'ann']);
  });

  for (const [query, message] of [
    ['orderBy=latency', 'orderBy must be cost, requests or errors, got "latency"'],
    ['orderBy=Cost', 'orderBy must be cost, requests or errors, got "Cost"'],
    ['orderBy=cost&orderBy=errors', 'orderBy may be given only once'],
    ['orderBy=', 'orderBy must not be empty'],
  ] as const) {
    it(`${query} is a 400 naming orderBy`, async () => {
      const response = await service(records).svc.handle(queryRequest('GET', `/v1/users?${query}`));
      assert.equal(response.status, 400);
      assert.deepEqual(response.body, { error: { code: 'invalid_parameter', message } });
    });
  }
});

describe('GET /v1/users/{id}/usage from the rollups', () => {
  it("totals the user's series over the aligned window", async () => {
    const { svc, rollups } = service();
    const body = await get(svc, `/v1/users/alice/usage?from=${iso(NOW - 6 * HOUR_MS + 1)}`);
    assert.deepEqual(body, {
      userId: 'alice',
      from: iso(NOW - 6 * HOUR_MS),
      to: iso(NOW),
      requests: 2,
      errors: 1,
      promptTokens: 20,
      completionTokens: 10,
      cachedTokens: 0,
      totalTokens: 30,
      costUsd: 0.4,
      unpricedRequests: 0,
      rateLimitedRequests: 0,
      lastSeenAt: iso(RECORDS[0]!.createdAtMs),
    });
    assert.ok(rollups.bucketReads.every((address) => address.series.values[0] === 'alice'));
    const nobody = await get(svc, '/v1/users/nobody/usage');
    assert.equal(nobody.requests, 0);
    assert.equal(nobody.lastSeenAt, null);
  });
});

describe('GET /v1/cache/stats from the rollups', () => {
  it('answers as before: totals, and groups of the values that looked the cache up', async () => {
    const { svc } = service();
    const body = await get(svc, '/v1/cache/stats');
    assert.deepEqual(body.totals, {
      hits: 1,
      misses: 2,
      unavailable: 1,
      hitRate: 0.25,
      savedUsd: 0.005,
      unpricedHits: 0,
      savedTokens: 15,
      savedLatencyMs: 0,
    });
    assert.equal(body.groups, null);
    assert.equal('truncated' in body, false);
    const byUser = await get(svc, '/v1/cache/stats?groupBy=user');
    assert.deepEqual(
      byUser.groups.map((g: any) => [g.value, g.hits, g.misses, g.unavailable]),
      [
        ['alice', 1, 1, 0],
        ['bob', 0, 1, 0],
        [null, 0, 0, 1],
      ],
    );
    assert.deepEqual(byUser.totals, body.totals);
    const byFeature = await get(svc, '/v1/cache/stats?groupBy=property:feature');
    assert.deepEqual(
      byFeature.groups.map((g: any) => [g.value, g.misses]),
      [
        [null, 1],
        ['chat', 1],
      ],
    );
    const byModel = await get(svc, `/v1/cache/stats?groupBy=model&from=${iso(NOW - HOUR_MS)}`);
    assert.equal(byModel.from, iso(NOW - HOUR_MS));
    assert.deepEqual(
      byModel.groups.map((g: any) => [g.value, g.hits, g.unavailable]),
      [['gpt-4o-mini', 1, 1]],
    );
  });

  it('refuses to group by a property that is not indexed, saying how to index it', async () => {
    const { svc } = service(RECORDS, []);
    const response = await svc.handle(queryRequest('GET', '/v1/cache/stats?groupBy=property:feature'));
    assert.equal(response.status, 400);
    const { message } = (response.body as { error: { message: string } }).error;
    assert.ok(message.startsWith('groupBy'), message);
    assert.match(message, /indexedProperties in lookout\.config\.ts.*npm run rollups:rebuild/);
  });
});
