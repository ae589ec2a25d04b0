import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatByUnit, formatMs, formatPercent, formatRate, formatUsd } from '../../../dashboard/src/app/format.js';

describe('how numbers read', () => {
  test('costs keep three significant figures below a dollar and cents above', () => {
    assert.equal(formatUsd(0.000123456), '$0.000123');
    assert.equal(formatUsd(0.5), '$0.500');
    assert.equal(formatUsd(12.345), '$12.35');
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(null), '—');
  });

  test('percentages, rates and durations', () => {
    assert.equal(formatPercent(25), '25.0%');
    assert.equal(formatPercent(0.5), '0.50%');
    assert.equal(formatRate(0.125), '12.5%');
    assert.equal(formatMs(1234), '1,234 ms');
    assert.equal(formatMs(12_345), '12.3 s');
  });

  test('by the unit /v1/metrics gives', () => {
    assert.equal(formatByUnit(1234, 'requests'), '1,234');
    assert.equal(formatByUnit(12.5, 'percent'), '12.5%');
    assert.equal(formatByUnit(0.02, 'usd'), '$0.0200');
    assert.equal(formatByUnit(null, 'ms'), '—');
  });
});
