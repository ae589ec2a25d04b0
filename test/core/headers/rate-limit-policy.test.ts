import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMonitoringHeaders } from '../../../lambdas/core/headers/monitoring-headers.js';
import { assertInvalidHeader, headerMap, PREFIXES } from './assert-invalid-header.js';

const policyOf = (value: string, prefix = 'Lookout') =>
  parseMonitoringHeaders(headerMap({ [`${prefix}-RateLimit-Policy`]: value })).rateLimitPolicy;

describe('RateLimit-Policy', () => {
  for (const prefix of PREFIXES) {
    it(`parses the full ${prefix} form`, () => {
      assert.deepEqual(policyOf('1000;w=3600;u=request;s=user', prefix), {
        quota: 1000,
        windowSeconds: 3600,
        unit: 'request',
        quotaMicroUsd: null,
        segment: { kind: 'user' },
      });
    });
  }

  it('defaults to requests and one global counter', () => {
    assert.deepEqual(policyOf('10000;w=3600'), {
      quota: 10000,
      windowSeconds: 3600,
      unit: 'request',
      quotaMicroUsd: null,
      segment: { kind: 'global' },
    });
  });

  it('converts a cents quota to integer micro-dollars, fractions included', () => {
    assert.deepEqual(policyOf('10;w=900;u=cents'), {
      quota: 10,
      windowSeconds: 900,
      unit: 'cents',
      quotaMicroUsd: 100_000,
      segment: { kind: 'global' },
    });
    assert.equal(policyOf('0.5;w=60;u=cents')?.quotaMicroUsd, 5_000);
  });

  it('segments by a custom property, matched lower-case like property names', () => {
    assert.deepEqual(policyOf('300;w=1800;s=Feature')?.segment, { kind: 'property', propertyName: 'feature' });
  });

  it('accepts parameters in any order, any case, with spaces around separators', () => {
    assert.deepEqual(policyOf(' 500 ; S=USER ; U=Request ; W=86400 '), {
      quota: 500,
      windowSeconds: 86400,
      unit: 'request',
      quotaMicroUsd: null,
      segment: { kind: 'user' },
    });
  });

  it('accepts the window bounds: 60 seconds to one year', () => {
    assert.equal(policyOf('1;w=60')?.windowSeconds, 60);
    assert.equal(policyOf('1;w=31536000')?.windowSeconds, 31_536_000);
  });

  for (const [bad, reason] of [
    ['1000', /w is required/],
    ['1000;w=59', /w must be/],
    ['1000;w=31536001', /w must be/],
    ['1000;w=1.5', /w must be/],
    ['1000;w=-60', /w must be/],
    ['0;w=60', /quota/],
    ['-5;w=60', /quota/],
    ['1.5;w=60', /whole number of requests/],
    ['1000000001;w=60', /quota/],
    ['0.00001;w=60;u=cents', /4 decimals/],
    ['abc;w=60', /quota/],
    [';w=60', /quota/],
    ['100;w=60;u=tokens', /u must be request or cents/],
    ['100;w=60;x=1', /unknown parameter x/],
    ['100;w=60;w=120', /given twice/],
    ['100;w=60;s=', /name=value/],
    ['100;w=60;s=my feature', /s must be/],
    ['100;w=60;s=_x', /s must be/],
    ['100;window=60', /unknown parameter window/],
  ] as const) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assertInvalidHeader(() => policyOf(bad), 'Lookout-RateLimit-Policy', reason);
      assertInvalidHeader(() => policyOf(bad, 'Helicone'), 'Helicone-RateLimit-Policy', reason);
    });
  }

  it('shows the expected format in the error', () => {
    assertInvalidHeader(() => policyOf('lots'), 'Lookout-RateLimit-Policy', /1000;w=3600;u=request;s=user/);
  });

  it('uses the Lookout policy when both are sent', () => {
    const parsed = parseMonitoringHeaders(headerMap({ 'Lookout-RateLimit-Policy': '5;w=60', 'Helicone-RateLimit-Policy': '9;w=60' }));
    assert.equal(parsed.rateLimitPolicy?.quota, 5);
  });
});
