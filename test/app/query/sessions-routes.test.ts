import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_REPORT_BOUNDS } from '../../../lambdas/app/query/log-reports.js';
import type { RequestListRead } from '../../../lambdas/core/ports/request-log-reads.js';
import type { RequestLogRecord } from '../../../lambdas/core/request-log/request-log-record.js';
import { InMemoryRequestLogReads, inMemoryQueryService, QUERY_APP_KEY, queryRequest } from '../../support/in-memory-query-stores.js';
import { logRecord } from '../../support/request-log-records.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12, 30, 0);
const iso = (ms: number) => new Date(ms).toISOString();

let n = 0;
const at = (minutesAgo: number, overrides: Partial<RequestLogRecord> = {}) =>
  logRecord({ id: `r${String(++n).padStart(3, '0')}`, createdAtMs: NOW - minutesAgo * MINUTE_MS, ...overrides });

// Three sessions over the last hour (one of them two users'), requests without a session, and one session past the log's 30 days.
const RECORDS = [
  at(50, { sessionId: 'trip', sessionName: 'Trip planner', userId: 'dave', costNanoUsd: 10_000_000 }),
  at(45, { sessionId: 'essay', userId: 'erin', costNanoUsd: 2_000_000 }),
  at(40, { sessionId: 'trip', userId: 'dave', status: 502, outcome: 'upstream_error', costNanoUsd: null }),
  at(35, { sessionId: null, userId: 'dave' }),
  at(30, { sessionId: 'trip', userId: 'fay', model: 'mystery', costNanoUsd: null, unpriced: true }),
  at(20, { sessionId: 'chat', userId: 'erin', costNanoUsd: 1_000_000 }),
  at(10, { sessionId: 'trip', sessionName: 'Trip planner v2', userId: 'dave', costNanoUsd: 20_000_000 }),
  at(31 * 24 * 60, { sessionId: 'ancient', userId: 'dave' }),
];

/** The in-memory log, recording what each list read asked for. */
class RecordingReads extends InMemoryRequestLogReads {
  readonly lists: RequestListRead[] = [];
  override async listRequests(read: RequestListRead) {
    this.lists.push(read);
    return super.listRequests(read);
  }
}

function service(records = RECORDS, reportBounds = DEFAULT_REPORT_BOUNDS) {
  const reads = new RecordingReads(records);
  return { svc: inMemoryQueryService(reads, { now: () => NOW, reportBounds }).service, reads };
}

async function sessions(query = '', svc = service().svc): Promise<any> {
  const response = await svc.handle(queryRequest('GET', `/v1/sessions${query}`));
  assert.equal(response.status, 200, `${query}: ${JSON.stringify(response.body)}`);
  return response.body;
}

describe('GET /v1/sessions', () => {
  it('lists the sessions of the window, the latest request first, with their counts', async () => {
    const body = await sessions();
    assert.deepEqual(body, {
      sessions: [
        {
          sessionId: 'trip',
          name: 'Trip planner v2',
          requests: 4,
          errors: 1,
          costUsd: 0.03,
          unpricedRequests: 1,
          firstAt: iso(NOW - 50 * MINUTE_MS),
          lastAt: iso(NOW - 10 * MINUTE_MS),
          userIds: ['dave', 'fay'],
        },
        {
          sessionId: 'chat',
          name: null,
          requests: 1,
          errors: 0,
          costUsd: 0.001,
          unpricedRequests: 0,
          firstAt: iso(NOW - 20 * MINUTE_MS),
          lastAt: iso(NOW - 20 * MINUTE_MS),
          userIds: ['erin'],
        },
        {
          sessionId: 'essay',
          name: null,
          requests: 1,
          errors: 0,
          costUsd: 0.002,
          unpricedRequests: 0,
          firstAt: iso(NOW - 45 * MINUTE_MS),
          lastAt: iso(NOW - 45 * MINUTE_MS),
          userIds: ['erin'],
        },
      ],
      complete: true,
      from: iso(NOW - 30 * DAY_MS),
      to: iso(NOW),
    });
  });

  it('keeps the limit, the window and a user', async () => {
    assert.deepEqual(
      (await sessions('?limit=2')).sessions.map((row: any) => row.sessionId),
      ['trip', 'chat'],
    );
    const window = await sessions(`?from=${iso(NOW - 42 * MINUTE_MS)}&to=${iso(NOW - 15 * MINUTE_MS)}`);
    assert.deepEqual(
      window.sessions.map((row: any) => [row.sessionId, row.requests, row.lastAt]),
      [
        ['chat', 1, iso(NOW - 20 * MINUTE_MS)],
        ['trip', 2, iso(NOW - 30 * MINUTE_MS)],
      ],
    );
    assert.deepEqual([window.from, window.to, window.complete], [iso(NOW - 42 * MINUTE_MS), iso(NOW - 15 * MINUTE_MS), true]);
    const erin = await sessions('?userId=erin');
    assert.deepEqual(
      erin.sessions.map((row: any) => row.sessionId),
      ['chat', 'essay'],
    );
    const fay = await sessions('?userId=fay');
    assert.deepEqual(
      fay.sessions.map((row: any) => [row.sessionId, row.requests, row.userIds]),
      [['trip', 1, ['fay']]],
      "with userId, only that user's requests count",
    );
  });

  it('reads the log once, newest first, within its bound, whatever the limit', async () => {
    const { svc, reads } = service();
    await sessions('?limit=1&userId=dave', svc);
    assert.equal(reads.lists.length, 1);
    const [read] = reads.lists;
    assert.equal(read!.from, null);
    assert.deepEqual(read!.filters, { properties: {}, userId: 'dave' });
    assert.equal(read!.limit, DEFAULT_REPORT_BOUNDS.sessionList.maxItemsRead);
    assert.deepEqual(read!.budget, DEFAULT_REPORT_BOUNDS.sessionList);
  });

  it('says complete: false when its bound ends before the window, the counts then covering the requests read', async () => {
    const { svc } = service(RECORDS, { ...DEFAULT_REPORT_BOUNDS, sessionList: { maxItemsRead: 4, maxQueries: 50 } });
    const body = await sessions('', svc);
    assert.equal(body.complete, false);
    assert.deepEqual(
      body.sessions.map((row: any) => [row.sessionId, row.requests, row.firstAt]),
      [
        ['trip', 2, iso(NOW - 30 * MINUTE_MS)],
        ['chat', 1, iso(NOW - 20 * MINUTE_MS)],
      ],
      'the four newest requests: essay is older, and so are two of trip',
    );
    assert.equal(body.sessions[0].name, 'Trip planner v2');
  });

  it('answers an empty list for a window without sessions', async () => {
    const body = await sessions(`?from=${iso(NOW - 36 * MINUTE_MS)}&to=${iso(NOW - 34 * MINUTE_MS)}`);
    assert.deepEqual(body.sessions, []);
    assert.equal(body.complete, true);
    assert.deepEqual((await sessions('', service([]).svc)).sessions, []);
  });

  it('is also /v1/sessions/, and /v1/sessions/{id} still reads one session whole', async () => {
    assert.equal((await sessions('/')).sessions.length, 3);
    const response = await service().svc.handle(queryRequest('GET', '/v1/sessions/trip'));
    assert.equal(response.status, 200);
    assert.equal((response.body as { totals: { requests: number } }).totals.requests, 4);
  });

  it('needs an admin key', async () => {
    const response = await service().svc.handle(queryRequest('GET', '/v1/sessions', { 'lookout-auth': `Bearer ${QUERY_APP_KEY}` }));
    assert.equal(response.status, 403);
    assert.equal((await service().svc.handle(queryRequest('GET', '/v1/sessions', {}))).status, 401);
  });

  for (const [query, message] of [
    ['limit=0', 'limit must be an integer from 1 to 200, got "0"'],
    ['limit=201', 'limit must be an integer from 1 to 200, got "201"'],
    ['from=yesterday', 'from must be epoch milliseconds or ISO-8601'],
    [`from=${NOW}&to=${NOW - 1}`, 'from must not be after to'],
    ['userId=a&userId=b', 'userId may be given only once'],
    ['sessionId=trip', 'sessionId is not a parameter of this endpoint'],
  ] as const) {
    it(`${query} is a 400 naming the parameter`, async () => {
      const response = await service().svc.handle(queryRequest('GET', `/v1/sessions?${query}`));
      assert.equal(response.status, 400);
      const { error } = response.body as { error: { code: string; message: string } };
      assert.equal(error.code, 'invalid_parameter');
      assert.ok(error.message.startsWith(message), error.message);
    });
  }
});
