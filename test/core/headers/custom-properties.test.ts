import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMonitoringHeaders } from '../../../lambdas/core/headers/monitoring-headers.js';
import { assertInvalidHeader, headerMap, PREFIXES } from './assert-invalid-header.js';

const properties = (headers: Record<string, string>) => parseMonitoringHeaders(headerMap(headers)).properties;

describe('Property-<Name> headers', () => {
  for (const prefix of PREFIXES) {
    it(`collects ${prefix}-Property-* with lower-case names`, () => {
      assert.deepEqual(
        properties({
          [`${prefix}-Property-Environment`]: 'production',
          [`${prefix}-Property-App_Version`]: '2.1.0',
          [`${prefix}-Property-Feature.Name`]: 'Content Generator',
        }),
        { environment: 'production', app_version: '2.1.0', 'feature.name': 'Content Generator' },
      );
    });

    it(`names the ${prefix} header when a value is too long`, () => {
      assert.equal(properties({ [`${prefix}-Property-Note`]: 'x'.repeat(1024) }).note?.length, 1024);
      assertInvalidHeader(() => properties({ [`${prefix}-Property-Note`]: 'x'.repeat(1025) }), `${prefix}-Property-Note`, /1024/);
    });

    it(`rejects an empty or unsafe ${prefix} property name`, () => {
      assertInvalidHeader(() => properties({ [`${prefix}-Property-`]: 'v' }), `${prefix}-Property-`, /property name/);
      assertInvalidHeader(() => properties({ [`${prefix}-Property-_private`]: 'v' }), `${prefix}-Property-_private`);
      assertInvalidHeader(() => properties({ [`${prefix}-Property-a:b`]: 'v' }), `${prefix}-Property-A:b`);
      assertInvalidHeader(() => properties({ [`${prefix}-Property-${'n'.repeat(65)}`]: 'v' }), `${prefix}-Property-N`);
      assert.deepEqual(properties({ [`${prefix}-Property-${'n'.repeat(64)}`]: 'v' }), { ['n'.repeat(64)]: 'v' });
    });
  }

  it('folds names that differ only in case into one property', () => {
    // The handler lower-cases names, so these arrive as the same key; the last one sent wins there.
    assert.deepEqual(properties({ 'Lookout-Property-ENV': 'a' }), { env: 'a' });
    assert.deepEqual(properties({ 'lookout-property-Env': 'a', 'Helicone-Property-env': 'b' }), { env: 'a' });
  });

  it('prefers the Lookout value when both prefixes carry the same property', () => {
    assert.deepEqual(
      properties({ 'Helicone-Property-Env': 'staging', 'Lookout-Property-Env': 'production', 'Helicone-Property-Team': 'ml' }),
      { env: 'production', team: 'ml' },
    );
  });

  it('ignores a blank property value', () => {
    assert.deepEqual(properties({ 'Lookout-Property-Env': '  ' }), {});
  });

  it('allows 50 properties and rejects 51', () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`Lookout-Property-P${i}`, 'v']));
    assert.equal(Object.keys(properties(fifty)).length, 50);
    assertInvalidHeader(() => properties({ ...fifty, 'Helicone-Property-Extra': 'v' }), 'Lookout-Property-*', /at most 50/);
  });

  it('counts a property sent under both prefixes once', () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`Lookout-Property-P${i}`, 'v']));
    assert.equal(Object.keys(properties({ ...fifty, 'Helicone-Property-P0': 'w' })).length, 50);
  });

  it('rejects control characters in a value', () => {
    assertInvalidHeader(() => properties({ 'Lookout-Property-Env': 'a\u0007' }), 'Lookout-Property-Env', /control/);
  });

  it('ignores headers that merely contain the word property', () => {
    assert.deepEqual(properties({ 'X-Lookout-Property-Env': 'a', 'Property-Env': 'b', 'Lookout-Properties': 'c' }), {});
  });
});
