import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeRequestListCursor,
  encodeRequestListCursor,
  type RequestListCursor,
} from '../../../lambdas/core/query/request-list-cursor.js';
import { assertInvalidParameter } from './assert-invalid-parameter.js';

const window = { fromMs: Date.UTC(2025, 0, 1), toMs: Date.UTC(2025, 0, 4) };

const afterRequest: RequestListCursor = {
  fingerprint: 'f1',
  window,
  position: { createdAtMs: Date.UTC(2025, 0, 2, 8), afterId: 'r9' },
};

function tampered(fields: Record<string, unknown>): string {
  return Buffer.from(
    JSON.stringify({ v: 2, f: 'f1', w: [window.fromMs, window.toMs], p: [Date.UTC(2025, 0, 2), null], ...fields }),
  ).toString('base64url');
}

describe('request list cursors', () => {
  it('round-trip and are opaque base64url', () => {
    const raw = encodeRequestListCursor(afterRequest);
    assert.match(raw, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeRequestListCursor(raw, 'f1'), afterRequest);
  });

  it('may point at the start of a day', () => {
    const start: RequestListCursor = { ...afterRequest, position: { createdAtMs: Date.UTC(2025, 0, 2), afterId: null } };
    assert.deepEqual(decodeRequestListCursor(encodeRequestListCursor(start), 'f1'), start);
  });

  it('may point before everything of the window, or after its oldest instant', () => {
    for (const position of [
      { createdAtMs: window.toMs, afterId: null },
      { createdAtMs: window.fromMs, afterId: 'r1' },
    ]) {
      const cursor: RequestListCursor = { ...afterRequest, position };
      assert.deepEqual(decodeRequestListCursor(encodeRequestListCursor(cursor), 'f1'), cursor);
    }
  });

  it('are refused with other filters', () => {
    assertInvalidParameter(() => decodeRequestListCursor(encodeRequestListCursor(afterRequest), 'f2'), 'cursor', /other filters/);
  });

  it('are refused when garbled or forged, never passed on to the store', () => {
    const forged = [
      'not a cursor!',
      'eyJ2IjoyfQ', // {"v":2}
      Buffer.from('[1,2]').toString('base64url'),
      tampered({ v: 1 }), // the earlier format, which carried DynamoDB keys
      tampered({ v: 3 }),
      tampered({ f: 7 }),
      tampered({ p: [window.fromMs - 1, 'r1'] }), // before the window
      tampered({ p: [window.toMs, 'r1'] }), // to is exclusive
      tampered({ p: [window.fromMs, null] }), // nothing is before the start of the window
      tampered({ p: [window.toMs + 1, null] }),
      tampered({ p: [Date.UTC(2025, 0, 2) + 0.5, 'r1'] }),
      tampered({ p: [Date.UTC(2025, 0, 2), ''] }),
      tampered({ p: [Date.UTC(2025, 0, 2), 'é'.repeat(513)] }), // an id too long to be a key
      tampered({ p: [Date.UTC(2025, 0, 2), 'r1', 'extra'] }),
      tampered({ extra: 'x' }),
      tampered({ w: [window.toMs, window.fromMs] }),
      tampered({ w: [window.fromMs, window.fromMs] }),
      'A'.repeat(5000),
    ];
    for (const raw of forged) assertInvalidParameter(() => decodeRequestListCursor(raw, 'f1'), 'cursor');
  });
});
