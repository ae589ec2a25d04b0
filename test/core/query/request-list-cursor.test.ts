import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRequestListCursor, encodeRequestListCursor, type RequestListCursor } from '../../../lambdas/core/query/request-list-cursor.js';
import { planRequestList } from '../../../lambdas/core/query/request-log-index.js';
import { assertInvalidParameter } from './assert-invalid-parameter.js';

const window = { fromMs: Date.UTC(2025, 0, 1), toMs: Date.UTC(2025, 0, 4) };
const byDay = planRequestList({ properties: {} });
const byUser = planRequestList({ userId: 'u1', properties: {} });

const dayCursor: RequestListCursor = {
  fingerprint: 'f1',
  window,
  position: { day: '2025-01-02', startKey: { id: 'r9', day: '2025-01-02', createdAtMs: Date.UTC(2025, 0, 2, 8) } },
};

function tampered(fields: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ v: 1, f: 'f1', w: [window.fromMs, window.toMs], d: '2025-01-02', k: null, ...fields })).toString('base64url');
}

describe('request list cursors', () => {
  it('round-trip and are opaque base64url', () => {
    const raw = encodeRequestListCursor(dayCursor);
    assert.match(raw, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeRequestListCursor(raw, { fingerprint: 'f1', plan: byDay }), dayCursor);
  });

  it('may point at the start of a day', () => {
    const start: RequestListCursor = { ...dayCursor, position: { day: '2025-01-01', startKey: null } };
    assert.deepEqual(decodeRequestListCursor(encodeRequestListCursor(start), { fingerprint: 'f1', plan: byDay }), start);
  });

  it('carry a user-index position', () => {
    const cursor: RequestListCursor = { fingerprint: 'f1', window, position: { day: null, startKey: { id: 'r1', userId: 'u1', createdAtMs: window.fromMs + 5 } } };
    assert.deepEqual(decodeRequestListCursor(encodeRequestListCursor(cursor), { fingerprint: 'f1', plan: byUser }), cursor);
  });

  it('are refused with other filters', () => {
    assertInvalidParameter(
      () => decodeRequestListCursor(encodeRequestListCursor(dayCursor), { fingerprint: 'f2', plan: byDay }),
      'cursor',
      /other filters/,
    );
  });

  it('are refused when garbled or forged, never passed on to DynamoDB', () => {
    const expected = { fingerprint: 'f1', plan: byDay };
    const forged = [
      'not a cursor!',
      'eyJ2IjoxfQ', // {"v":1}
      Buffer.from('[1,2]').toString('base64url'),
      tampered({ v: 2 }),
      tampered({ d: '2025-02-30' }),
      tampered({ d: '2024-12-31' }), // outside the window
      tampered({ k: { id: 'r1', day: '2025-01-03', createdAtMs: Date.UTC(2025, 0, 2) } }), // another day's key
      tampered({ k: { id: 'r1', day: '2025-01-02', createdAtMs: Date.UTC(2025, 0, 3) } }), // time outside its day
      tampered({ k: { id: 'r1', day: '2025-01-02', createdAtMs: 5, extra: 'x' } }),
      tampered({ w: [window.toMs, window.fromMs] }),
      'A'.repeat(5000),
    ];
    for (const raw of forged) assertInvalidParameter(() => decodeRequestListCursor(raw, expected), 'cursor');
  });

  it('are refused for another user than the one filtered on', () => {
    const other = encodeRequestListCursor({ fingerprint: 'f1', window, position: { day: null, startKey: { id: 'r1', userId: 'u2', createdAtMs: window.fromMs } } });
    assertInvalidParameter(() => decodeRequestListCursor(other, { fingerprint: 'f1', plan: byUser }), 'cursor');
  });
});
