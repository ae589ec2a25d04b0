import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SESSION_LIST_USER_IDS, summarizeSessions } from '../../../lambdas/core/query/session-list.js';
import { logRecord } from '../../support/request-log-records.js';

const t0 = Date.UTC(2025, 0, 1, 10);
const iso = (ms: number) => new Date(ms).toISOString();

// Three sessions and requests without one, given in no particular order.
const records = [
  logRecord({ id: 'a1', createdAtMs: t0, sessionId: 'a', sessionName: 'Trip planner', userId: 'ann', costNanoUsd: 1_000_000 }),
  logRecord({ id: 'b1', createdAtMs: t0 + 5_000, sessionId: 'b', userId: 'ben', costNanoUsd: 3_000_000 }),
  logRecord({ id: 'none', createdAtMs: t0 + 9_000, sessionId: null, userId: 'ann' }),
  logRecord({
    id: 'a2',
    createdAtMs: t0 + 2_000,
    sessionId: 'a',
    sessionName: 'Trip planner v2',
    userId: 'cy',
    status: 500,
    outcome: 'upstream_error',
    costNanoUsd: null,
  }),
  logRecord({ id: 'a3', createdAtMs: t0 + 8_000, sessionId: 'a', userId: 'ann', model: 'mystery', costNanoUsd: null, unpriced: true }),
  logRecord({ id: 'c1', createdAtMs: t0 + 1_000, sessionId: 'c' }),
];

describe('summarizeSessions', () => {
  it('groups the requests of each session, the latest request first, and counts them', () => {
    assert.deepEqual(summarizeSessions(records, 10), [
      {
        sessionId: 'a',
        name: 'Trip planner v2',
        requests: 3,
        errors: 1,
        costUsd: 0.001,
        unpricedRequests: 1,
        firstAt: iso(t0),
        lastAt: iso(t0 + 8_000),
        userIds: ['ann', 'cy'],
      },
      {
        sessionId: 'b',
        name: null,
        requests: 1,
        errors: 0,
        costUsd: 0.003,
        unpricedRequests: 0,
        firstAt: iso(t0 + 5_000),
        lastAt: iso(t0 + 5_000),
        userIds: ['ben'],
      },
      {
        sessionId: 'c',
        name: null,
        requests: 1,
        errors: 0,
        costUsd: 0.000001,
        unpricedRequests: 0,
        firstAt: iso(t0 + 1_000),
        lastAt: iso(t0 + 1_000),
        userIds: [],
      },
    ]);
  });

  it('keeps the limit latest sessions, counted over all their requests given', () => {
    const [latest, ...rest] = summarizeSessions(records, 1);
    assert.deepEqual(rest, []);
    assert.equal(latest!.sessionId, 'a');
    assert.equal(latest!.requests, 3, 'its older requests, read after the other sessions, still count');
    assert.deepEqual(summarizeSessions([], 5), []);
    assert.deepEqual(summarizeSessions([records[2]!], 5), [], 'a request without a session id is no session');
  });

  it('names at most five distinct users, the most recent first', () => {
    const many = Array.from({ length: 8 }, (_, i) =>
      logRecord({ id: `m${i}`, createdAtMs: t0 + i, sessionId: 'busy', userId: i === 7 ? 'u6' : `u${i}` }),
    );
    const [busy] = summarizeSessions(many, 1);
    assert.equal(busy!.requests, 8);
    assert.equal(busy!.userIds.length, MAX_SESSION_LIST_USER_IDS);
    assert.deepEqual(busy!.userIds, ['u6', 'u5', 'u4', 'u3', 'u2']);
  });

  it('orders sessions whose latest requests start together by request id', () => {
    const tied = [logRecord({ id: 'y', createdAtMs: t0, sessionId: 's-y' }), logRecord({ id: 'x', createdAtMs: t0, sessionId: 's-x' })];
    assert.deepEqual(
      summarizeSessions(tied, 2).map((row) => row.sessionId),
      ['s-x', 's-y'],
    );
  });
});
