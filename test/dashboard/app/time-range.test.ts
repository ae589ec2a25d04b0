import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rangeFromQuery, rangeIntoQuery, rangeLabel, rangeParameters, resolveRange } from '../../../dashboard/src/app/time-range.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');

describe('the range picker model', () => {
  test('the guide windows end now', () => {
    assert.deepEqual(resolveRange({ kind: 'preset', preset: '1h' }, NOW), { fromMs: NOW - 3_600_000, toMs: NOW });
    assert.deepEqual(resolveRange({ kind: 'preset', preset: '30d' }, NOW), { fromMs: NOW - 30 * 86_400_000, toMs: NOW });
  });

  test('reads a preset, a custom range, and falls back to 24 h on anything else', () => {
    assert.deepEqual(rangeFromQuery(new URLSearchParams('range=7d')), { kind: 'preset', preset: '7d' });
    assert.deepEqual(rangeFromQuery(new URLSearchParams('range=2y')), { kind: 'preset', preset: '24h' });
    assert.deepEqual(rangeFromQuery(new URLSearchParams('from=2026-12-01T10:00:00Z&to=2026-12-01T11:00:00Z')), {
      kind: 'custom',
      fromMs: Date.parse('2026-12-01T10:00:00Z'),
      toMs: Date.parse('2026-12-01T11:00:00Z'),
    });
    assert.deepEqual(rangeFromQuery(new URLSearchParams('from=2026-12-01T11:00:00Z&to=2026-12-01T10:00:00Z')), {
      kind: 'preset',
      preset: '24h',
    });
  });

  test('a from without a to runs until now', () => {
    const range = rangeFromQuery(new URLSearchParams(`from=${NOW - 60_000}`));
    assert.deepEqual(resolveRange(range, NOW), { fromMs: NOW - 60_000, toMs: NOW });
  });

  test('writes the range into a query, keeping its other parameters', () => {
    const query = rangeIntoQuery({ kind: 'preset', preset: '1h' }, new URLSearchParams('userId=alice&from=1&to=2'));
    assert.equal(query.toString(), 'userId=alice&range=1h');
    assert.equal(
      rangeIntoQuery({ kind: 'preset', preset: '24h' }, new URLSearchParams('range=1h')).toString(),
      '',
      'the default is not written',
    );
    const custom = rangeIntoQuery({ kind: 'custom', fromMs: NOW - 1000, toMs: NOW }, new URLSearchParams());
    assert.deepEqual(rangeFromQuery(custom), { kind: 'custom', fromMs: NOW - 1000, toMs: NOW });
  });

  test('gives the API ISO instants and the picker a label', () => {
    assert.deepEqual(rangeParameters({ kind: 'preset', preset: '1h' }, NOW), {
      from: '2026-12-01T11:00:00.000Z',
      to: '2026-12-01T12:00:00.000Z',
    });
    assert.equal(rangeLabel({ kind: 'preset', preset: '7d' }), 'last 7 d');
    assert.equal(rangeLabel({ kind: 'custom', fromMs: NOW - 3_600_000, toMs: NOW }), '2026-12-01 11:00 to 2026-12-01 12:00 UTC');
  });
});
