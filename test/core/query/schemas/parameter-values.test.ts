import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { instantParameter, limitParameter, pathIdParameter } from '../../../../lambdas/core/query/schemas/parameter-values.js';
import { assertInvalidParameter } from '../assert-invalid-parameter.js';
import { parseQuery } from './parse-query.js';

/** An instant parameter `name` given as `raw`, in epoch milliseconds. */
function parseInstant(name: string, raw: string): number | undefined {
  return parseQuery(z.object({ [name]: instantParameter(name) }), new URLSearchParams({ [name]: raw }).toString())[name]?.ms;
}

/** `limit` as the router reads it from `params`. */
function parseLimitParameter(params: URLSearchParams, fallback: number, max: number): number {
  return parseQuery(z.object({ limit: limitParameter(fallback, max) }), params.toString()).limit;
}

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

describe('pathIdParameter', () => {
  const parseId = (raw: string) => parseQuery(z.object({ id: pathIdParameter('user id') }), new URLSearchParams({ id: raw }).toString()).id;

  it('keeps an id as it is, spaces and slashes included', () => {
    assert.equal(parseId('team/alice smith'), 'team/alice smith');
  });

  it('refuses blank ids and ids too long to be an index key', () => {
    assertInvalidParameter(() => parseId(' '), 'user id', /must not be empty/);
    assertInvalidParameter(() => parseId('x'.repeat(1025)), 'user id', /1024 bytes/);
  });
});
