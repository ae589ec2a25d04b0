import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMonitoringHeaders } from '../../../lambdas/core/headers/monitoring-headers.js';
import { assertInvalidHeader, headerMap, PREFIXES } from './assert-invalid-header.js';

const retryOf = (headers: Record<string, string>) => parseMonitoringHeaders(headerMap(headers)).retry;

describe('retry headers', () => {
  for (const prefix of PREFIXES) {
    it(`applies Helicone's defaults when only ${prefix}-Retry-Enabled is sent`, () => {
      assert.deepEqual(retryOf({ [`${prefix}-Retry-Enabled`]: 'true' }), {
        maxRetries: 5,
        factor: 2,
        minTimeoutMs: 1000,
        maxTimeoutMs: 10_000,
      });
    });

    it(`parses every ${prefix}-Retry-* header`, () => {
      assert.deepEqual(
        retryOf({
          [`${prefix}-Retry-Enabled`]: 'TRUE',
          [`${prefix}-Retry-Num`]: '3',
          [`${prefix}-Retry-Factor`]: '1.5',
          [`${prefix}-Retry-Min-Timeout`]: '500',
          [`${prefix}-Retry-Max-Timeout`]: '30000',
        }),
        { maxRetries: 3, factor: 1.5, minTimeoutMs: 500, maxTimeoutMs: 30_000 },
      );
    });

    for (const [suffix, bad] of [
      ['Retry-Enabled', 'maybe'],
      ['Retry-Num', '11'],
      ['Retry-Num', '-1'],
      ['Retry-Num', 'five'],
      ['Retry-Factor', '0.5'],
      ['Retry-Factor', '11'],
      ['Retry-Factor', 'x2'],
      ['Retry-Min-Timeout', '60001'],
      ['Retry-Min-Timeout', '1.5'],
      ['Retry-Max-Timeout', '600000'],
    ] as const) {
      it(`rejects ${prefix}-${suffix}: ${bad}`, () => {
        assertInvalidHeader(() => retryOf({ [`${prefix}-Retry-Enabled`]: 'true', [`${prefix}-${suffix}`]: bad }), `${prefix}-${suffix}`);
      });
    }
  }

  it('returns null when retries are off or not asked for', () => {
    assert.equal(retryOf({}), null);
    assert.equal(retryOf({ 'Lookout-Retry-Enabled': 'false', 'Lookout-Retry-Num': '3' }), null);
    assert.equal(retryOf({ 'Lookout-Retry-Num': '3' }), null);
  });

  it('allows zero retries and the bounds', () => {
    assert.deepEqual(
      retryOf({
        'Lookout-Retry-Enabled': 'true',
        'Lookout-Retry-Num': '0',
        'Lookout-Retry-Factor': '1',
        'Lookout-Retry-Min-Timeout': '0',
        'Lookout-Retry-Max-Timeout': '60000',
      }),
      { maxRetries: 0, factor: 1, minTimeoutMs: 0, maxTimeoutMs: 60_000 },
    );
  });

  it('validates the tuning headers even while retries are off', () => {
    assertInvalidHeader(() => retryOf({ 'Helicone-Retry-Num': 'lots' }), 'Helicone-Retry-Num');
  });

  it('rejects a minimum above the maximum, blaming a header the client sent', () => {
    assertInvalidHeader(
      () => retryOf({ 'Lookout-Retry-Enabled': 'true', 'Lookout-Retry-Min-Timeout': '5000', 'Lookout-Retry-Max-Timeout': '1000' }),
      'Lookout-Retry-Max-Timeout',
      /5000 ms/,
    );
    assertInvalidHeader(
      () => retryOf({ 'Lookout-Retry-Enabled': 'true', 'Helicone-Retry-Min-Timeout': '20000' }),
      'Helicone-Retry-Min-Timeout',
      /10000 ms/,
    );
  });
});
