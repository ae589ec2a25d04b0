import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMonitoringHeaders } from '../../../lambdas/core/headers/monitoring-headers.js';
import { assertInvalidHeader, headerMap, PREFIXES } from './assert-invalid-header.js';

const fallbacksOf = (value: unknown, prefix = 'Lookout') =>
  parseMonitoringHeaders(headerMap({ [`${prefix}-Fallbacks`]: typeof value === 'string' ? value : JSON.stringify(value) })).fallbacks;

const openai = {
  'target-url': 'https://api.openai.com',
  headers: { Authorization: 'Bearer sk-openai' },
  onCodes: [{ from: 400, to: 500 }],
};
const lemonfox = {
  'target-url': 'https://api.lemonfox.ai',
  headers: { Authorization: 'Bearer lf-key', 'Content-Type': 'application/json' },
  onCodes: [401, 403],
  bodyKeyOverride: { model: 'zephyr-chat' },
};

describe('Fallbacks', () => {
  for (const prefix of PREFIXES) {
    it(`parses Helicone's documented ${prefix}-Fallbacks example in order`, () => {
      const fallbacks = fallbacksOf([openai, lemonfox], prefix);
      assert.equal(fallbacks?.length, 2);
      const [first, second] = fallbacks ?? [];
      assert.equal(first?.targetUrl.href, 'https://api.openai.com/');
      assert.deepEqual(first?.headers, { authorization: 'Bearer sk-openai' });
      assert.deepEqual(first?.onStatusCodes, [{ from: 400, to: 500 }]);
      assert.equal(first?.bodyKeyOverride, null);
      assert.equal(second?.targetUrl.origin, 'https://api.lemonfox.ai');
      assert.deepEqual(second?.headers, { authorization: 'Bearer lf-key', 'content-type': 'application/json' });
      assert.deepEqual(second?.onStatusCodes, [
        { from: 401, to: 401 },
        { from: 403, to: 403 },
      ]);
      assert.deepEqual(second?.bodyKeyOverride, { model: 'zephyr-chat' });
    });

    it(`rejects ${prefix}-Fallbacks that is not a non-empty JSON array`, () => {
      for (const bad of ['not json', '{}', '[]', '"x"', 'null']) {
        assertInvalidHeader(() => fallbacksOf(bad, prefix), `${prefix}-Fallbacks`, /array/);
      }
    });
  }

  it('names the entry and field that is wrong', () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [[openai, 'x'], 'Lookout-Fallbacks[1]', /must be an object/],
      [[{ ...openai, 'target-url': undefined }], 'Lookout-Fallbacks[0].target-url', /string/],
      [[{ ...openai, 'target-url': 'ftp://x' }], 'Lookout-Fallbacks[0].target-url', /http\(s\)/],
      [[{ ...openai, 'target-url': 'https://u:p@x.example' }], 'Lookout-Fallbacks[0].target-url', /credentials/],
      [[{ ...openai, headers: undefined }], 'Lookout-Fallbacks[0].headers', /object/],
      [[{ ...openai, headers: { Authorization: 5 } }], 'Lookout-Fallbacks[0].headers.Authorization', /string/],
      [[{ ...openai, headers: { 'Bad Name': 'v' } }], 'Lookout-Fallbacks[0].headers', /header name/],
      [[{ ...openai, headers: { 'X-A': 'a\r\nInjected: 1' } }], 'Lookout-Fallbacks[0].headers.X-A', /string/],
      [[{ ...openai, onCodes: [] }], 'Lookout-Fallbacks[0].onCodes', /non-empty/],
      [[{ ...openai, onCodes: [700] }], 'Lookout-Fallbacks[0].onCodes[0]', /100-599/],
      [[{ ...openai, onCodes: [429, { from: 500, to: 400 }] }], 'Lookout-Fallbacks[0].onCodes[1]', /from <= to/],
      [[{ ...openai, onCodes: ['429'] }], 'Lookout-Fallbacks[0].onCodes[0]', /status code/],
      [[{ ...openai, bodyKeyOverride: ['model'] }], 'Lookout-Fallbacks[0].bodyKeyOverride', /object/],
    ];
    for (const [value, name, reason] of cases) assertInvalidHeader(() => fallbacksOf(value), name, reason);
  });

  it('rejects __proto__ in bodyKeyOverride', () => {
    assertInvalidHeader(
      () => fallbacksOf(`[{"target-url":"https://a.example","headers":{},"onCodes":[500],"bodyKeyOverride":{"__proto__":{"x":1}}}]`),
      'Lookout-Fallbacks[0].bodyKeyOverride',
    );
  });

  it('never quotes a fallback header value, which is usually an API key', () => {
    try {
      fallbacksOf([{ ...openai, headers: { Authorization: 'Bearer sk-secret\n' } }]);
      assert.fail('expected a throw');
    } catch (error) {
      assert.ok(!(error as Error).message.includes('sk-secret'));
    }
  });

  it('bounds the number of fallbacks, their headers and the header size', () => {
    assert.equal(fallbacksOf(Array(5).fill(openai))?.length, 5);
    assertInvalidHeader(() => fallbacksOf(Array(6).fill(openai)), 'Lookout-Fallbacks', /at most 5/);
    const manyHeaders = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`X-H${i}`, 'v']));
    assertInvalidHeader(() => fallbacksOf([{ ...openai, headers: manyHeaders }]), 'Lookout-Fallbacks[0].headers', /32/);
    assertInvalidHeader(() => fallbacksOf([{ ...openai, bodyKeyOverride: { model: 'm'.repeat(9000) } }]), 'Lookout-Fallbacks', /8192/);
  });
});
