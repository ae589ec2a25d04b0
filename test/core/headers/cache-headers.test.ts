import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMonitoringHeaders } from '../../../lambdas/core/headers/monitoring-headers.js';
import { assertInvalidHeader, headerMap, PREFIXES } from './assert-invalid-header.js';

const cacheOf = (headers: Record<string, string>) => parseMonitoringHeaders(headerMap(headers)).cache;

const SEVEN_DAYS = 604_800;

describe('cache headers', () => {
  for (const prefix of PREFIXES) {
    it(`enables read and save with ${prefix}-Cache-Enabled and applies Helicone's defaults`, () => {
      assert.deepEqual(cacheOf({ [`${prefix}-Cache-Enabled`]: 'true' }), {
        read: true,
        save: true,
        seed: null,
        bucketMaxSize: 1,
        ttlSeconds: SEVEN_DAYS,
        ignoreKeys: [],
      });
    });

    it(`parses ${prefix}-Cache-Seed, ${prefix}-Cache-Bucket-Max-Size and the Cache-Control TTL`, () => {
      assert.deepEqual(
        cacheOf({
          [`${prefix}-Cache-Enabled`]: 'True',
          [`${prefix}-Cache-Seed`]: 'user-123',
          [`${prefix}-Cache-Bucket-Max-Size`]: '3',
          'Cache-Control': 'max-age=3600',
        }),
        { read: true, save: true, seed: 'user-123', bucketMaxSize: 3, ttlSeconds: 3600, ignoreKeys: [] },
      );
    });

    it(`supports ${prefix}-Cache-Read and ${prefix}-Cache-Save on their own`, () => {
      assert.deepEqual(
        [cacheOf({ [`${prefix}-Cache-Read`]: 'true' }), cacheOf({ [`${prefix}-Cache-Save`]: 'true' })].map((c) => [c?.read, c?.save]),
        [
          [true, false],
          [false, true],
        ],
      );
    });

    it(`rejects a malformed ${prefix} cache header`, () => {
      assertInvalidHeader(() => cacheOf({ [`${prefix}-Cache-Enabled`]: 'yes' }), `${prefix}-Cache-Enabled`);
      assertInvalidHeader(() => cacheOf({ [`${prefix}-Cache-Read`]: '1' }), `${prefix}-Cache-Read`);
      assertInvalidHeader(() => cacheOf({ [`${prefix}-Cache-Save`]: 'y' }), `${prefix}-Cache-Save`);
      assertInvalidHeader(() => cacheOf({ [`${prefix}-Cache-Seed`]: 's'.repeat(257) }), `${prefix}-Cache-Seed`);
    });
  }

  it('reads Cache-Ignore-Keys as a list of top-level keys, trimmed, blanks and repeats dropped', () => {
    for (const prefix of PREFIXES) {
      assert.deepEqual(
        cacheOf({ [`${prefix}-Cache-Enabled`]: 'true', [`${prefix}-Cache-Ignore-Keys`]: ' user , temperature,,user ' })?.ignoreKeys,
        ['user', 'temperature'],
      );
    }
    assertInvalidHeader(
      () =>
        cacheOf({ 'Lookout-Cache-Enabled': 'true', 'Lookout-Cache-Ignore-Keys': Array.from({ length: 65 }, (_, i) => `k${i}`).join(',') }),
      'Lookout-Cache-Ignore-Keys',
    );
    assertInvalidHeader(
      () => cacheOf({ 'Lookout-Cache-Enabled': 'true', 'Lookout-Cache-Ignore-Keys': 'a\u0001' }),
      'Lookout-Cache-Ignore-Keys',
    );
  });

  it('returns null when the cache is neither read nor saved', () => {
    assert.equal(cacheOf({}), null);
    assert.equal(cacheOf({ 'Lookout-Cache-Enabled': 'false', 'Lookout-Cache-Seed': 's' }), null);
  });

  it('bounds the bucket size to 1..20 as Helicone does', () => {
    assert.equal(cacheOf({ 'Lookout-Cache-Enabled': 'true', 'Lookout-Cache-Bucket-Max-Size': '20' })?.bucketMaxSize, 20);
    for (const bad of ['0', '21', '-1', '2.5', 'three', '1e1']) {
      assertInvalidHeader(
        () => cacheOf({ 'Lookout-Cache-Enabled': 'true', 'Lookout-Cache-Bucket-Max-Size': bad }),
        'Lookout-Cache-Bucket-Max-Size',
        /1 to 20/,
      );
    }
  });

  it('validates cache headers even while the cache is off', () => {
    assertInvalidHeader(() => cacheOf({ 'Helicone-Cache-Bucket-Max-Size': '99' }), 'Helicone-Cache-Bucket-Max-Size');
  });

  describe('Cache-Control', () => {
    const ttlOf = (cacheControl: string) => cacheOf({ 'Lookout-Cache-Enabled': 'true', 'Cache-Control': cacheControl })?.ttlSeconds;

    it('reads max-age among other directives, in any case, quoted or not', () => {
      assert.equal(ttlOf('public, MAX-AGE=86400'), 86_400);
      assert.equal(ttlOf('max-age="120"'), 120);
      assert.equal(ttlOf('max-age = 60'), 60);
    });

    it('prefers s-maxage, the directive for shared caches', () => {
      assert.equal(ttlOf('max-age=60, s-maxage=600'), 600);
    });

    it('uses the first of repeated directives', () => {
      assert.equal(ttlOf('max-age=60, max-age=120'), 60);
    });

    it('defaults to 7 days without a max-age', () => {
      assert.equal(ttlOf('no-cache'), SEVEN_DAYS);
    });

    it('accepts up to 365 days and rejects absurd values', () => {
      assert.equal(ttlOf('max-age=31536000'), 31_536_000);
      for (const bad of [
        'max-age=31536001',
        'max-age=0',
        'max-age=-1',
        'max-age=1.5',
        'max-age=abc',
        'max-age=',
        's-maxage=99999999999999',
      ]) {
        assertInvalidHeader(() => ttlOf(bad), 'Cache-Control', /365 days/);
      }
    });

    it('is ignored when the cache is not used, since clients send it for other reasons', () => {
      assert.equal(cacheOf({ 'Cache-Control': 'max-age=abc' }), null);
    });
  });
});
