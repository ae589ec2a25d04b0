import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodePathSegment, parseExplicitWindow, parseInstant, parseLimitParameter } from '../../../lambdas/core/query/query-parameters.js';
import { DAY_MS, resolveTimeWindow } from '../../../lambdas/core/query/time-window.js';
import { assertInvalidParameter } from './assert-invalid-parameter.js';

describe('parseInstant', () => {
  it('reads epoch milliseconds', () => {
    assert.equal(parseInstant('from', '1735689600000'), Date.UTC(2025, 0, 1));
  });

  it('reads ISO-8601 dates as midnight UTC, and date-times with Z or an offset', () => {
    assert.equal(parseInstant('from', '2025-01-01'), Date.UTC(2025, 0, 1));
    assert.equal(parseInstant('from', '2025-01-01T12:30:00Z'), Date.UTC(2025, 0, 1, 12, 30));
    assert.equal(parseInstant('from', '2025-01-01T12:30Z'), Date.UTC(2025, 0, 1, 12, 30));
    assert.equal(parseInstant('from', '2025-01-01T12:30:00.250Z'), Date.UTC(2025, 0, 1, 12, 30, 0, 250));
    assert.equal(parseInstant('from', '2025-01-01T14:30:00+02:00'), Date.UTC(2025, 0, 1, 12, 30));
  });

  it('refuses a date-time without a zone, since its meaning would depend on the server', () => {
    assertInvalidParameter(() => parseInstant('to', '2025-01-01T12:00:00'), 'to', /ISO-8601/);
  });

  it('refuses days that do not exist instead of rolling them over', () => {
    assertInvalidParameter(() => parseInstant('from', '2025-02-30'), 'from');
    assertInvalidParameter(() => parseInstant('from', '2025-13-01'), 'from');
    assertInvalidParameter(() => parseInstant('from', '2025-01-01T24:00:00Z'), 'from');
  });

  it('refuses words, negative and out-of-range numbers', () => {
    for (const raw of ['yesterday', '-5', '1.5', '9999999999999999']) assertInvalidParameter(() => parseInstant('from', raw), 'from');
  });
});

describe('parseLimitParameter', () => {
  it('defaults when absent and reads integers in range', () => {
    assert.equal(parseLimitParameter(new URLSearchParams(''), 50, 1000), 50);
    assert.equal(parseLimitParameter(new URLSearchParams('limit=1'), 50, 1000), 1);
    assert.equal(parseLimitParameter(new URLSearchParams('limit=1000'), 50, 1000), 1000);
  });

  it('refuses 0, too large, fractions, words, blanks and repeats, naming limit', () => {
    for (const query of ['limit=0', 'limit=1001', 'limit=2.5', 'limit=ten', 'limit=', 'limit=5&limit=6']) {
      assertInvalidParameter(() => parseLimitParameter(new URLSearchParams(query), 50, 1000), 'limit');
    }
  });
});

describe('time windows', () => {
  const now = Date.UTC(2025, 5, 15, 12);

  it('refuses from after to', () => {
    assertInvalidParameter(() => parseExplicitWindow(new URLSearchParams('from=2025-06-02&to=2025-06-01')), 'from', /after to/);
  });

  it('defaults to the retention period up to now', () => {
    assert.deepEqual(resolveTimeWindow({ fromMs: undefined, toMs: undefined }, now, 30), { fromMs: now - 30 * DAY_MS, toMs: now });
  });

  it('never reaches before the retention period, where items have expired', () => {
    assert.deepEqual(resolveTimeWindow({ fromMs: 0, toMs: now - DAY_MS }, now, 30), { fromMs: now - 30 * DAY_MS, toMs: now - DAY_MS });
  });
});

describe('decodePathSegment', () => {
  it('percent-decodes ids, slashes included', () => {
    assert.equal(decodePathSegment('user id', 'alice%40example.com'), 'alice@example.com');
    assert.equal(decodePathSegment('user id', 'team%2Falice'), 'team/alice');
  });

  it('keeps a segment that is not valid percent-encoding as it is', () => {
    assert.equal(decodePathSegment('user id', '100%'), '100%');
  });

  it('refuses ids too long to be an index key', () => {
    assertInvalidParameter(() => decodePathSegment('user id', 'x'.repeat(1025)), 'user id');
  });
});
