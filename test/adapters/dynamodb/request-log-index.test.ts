import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daysNewestFirst, planRequestList, positionKeyOf } from '../../../lambdas/adapters/dynamodb/request-log-index.js';

describe('planRequestList', () => {
  it('reads a session from bySession, leaving the user as a filter', () => {
    assert.deepEqual(planRequestList({ sessionId: 's1', userId: 'u1', model: 'm', properties: {} }), {
      index: 'bySession',
      partition: 's1',
      residualFilters: { userId: 'u1', model: 'm', properties: {} },
    });
  });

  it('reads a user from byUser', () => {
    assert.deepEqual(planRequestList({ userId: 'u1', properties: { env: 'prod' } }), {
      index: 'byUser',
      partition: 'u1',
      residualFilters: { properties: { env: 'prod' } },
    });
  });

  it('walks days otherwise', () => {
    assert.deepEqual(planRequestList({ model: 'm', properties: {} }), {
      index: 'byDay',
      partition: null,
      residualFilters: { model: 'm', properties: {} },
    });
  });
});

describe('daysNewestFirst', () => {
  it('lists the UTC days a window touches, newest first, with to exclusive', () => {
    assert.deepEqual(daysNewestFirst({ fromMs: Date.UTC(2025, 0, 30, 23), toMs: Date.UTC(2025, 1, 2) }), [
      '2025-02-01',
      '2025-01-31',
      '2025-01-30',
    ]);
  });

  it('lists one day for a window inside it, none for an empty window', () => {
    assert.deepEqual(daysNewestFirst({ fromMs: Date.UTC(2025, 0, 1, 1), toMs: Date.UTC(2025, 0, 1, 2) }), ['2025-01-01']);
    assert.deepEqual(daysNewestFirst({ fromMs: 10, toMs: 10 }), []);
  });
});

describe('index positions', () => {
  const record = { id: 'r1', createdAtMs: Date.UTC(2025, 0, 2, 3), userId: 'u1', sessionId: null };

  it('hold the table key and the index keys', () => {
    assert.deepEqual(positionKeyOf('byDay', record), { id: 'r1', day: '2025-01-02', createdAtMs: record.createdAtMs });
    assert.deepEqual(positionKeyOf('byUser', record), { id: 'r1', userId: 'u1', createdAtMs: record.createdAtMs });
    assert.throws(() => positionKeyOf('bySession', record));
  });
});
