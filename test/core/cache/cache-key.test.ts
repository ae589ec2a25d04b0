import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheBucketKey, canonicalJson, type CacheKeyInput } from '../../../lambdas/core/cache/cache-key.js';

function key(overrides: Partial<CacheKeyInput> = {}): string {
  return cacheBucketKey({
    scope: 'key:abc',
    provider: 'openai',
    method: 'POST',
    upstreamUrl: new URL('https://api.openai.com/v1/chat/completions'),
    json: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], temperature: 0 },
    body: Buffer.from('ignored when json is given'),
    headers: {},
    seed: null,
    ignoreKeys: [],
    ...overrides,
  });
}

describe('cacheBucketKey', () => {
  it('is a SHA-256 in hex, the same for the same request', () => {
    assert.match(key(), /^[0-9a-f]{64}$/);
    assert.equal(key(), key());
  });

  it('ignores the order of keys at every depth, but not the order of array items', () => {
    const reordered = { temperature: 0, messages: [{ content: 'hi', role: 'user' }], model: 'gpt-4o-mini' };
    assert.equal(key({ json: reordered }), key());
    const swapped = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'b' },
        { role: 'user', content: 'a' },
      ],
    };
    const original = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
      ],
    };
    assert.notEqual(key({ json: swapped }), key({ json: original }));
  });

  it('leaves the ignored top-level keys out, and only those', () => {
    const withUser = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], temperature: 0, user: 'alice' };
    assert.notEqual(key({ json: withUser }), key());
    assert.equal(key({ json: withUser, ignoreKeys: ['user'] }), key({ ignoreKeys: ['user'] }));
    assert.equal(key({ json: { ...withUser, user: 'bob' }, ignoreKeys: ['user'] }), key({ json: withUser, ignoreKeys: ['user'] }));
    // A nested key of the same name is part of the content, not the ignored field.
    const nested = (user: string) => ({ model: 'm', messages: [{ role: 'user', content: 'hi', user }] });
    assert.notEqual(key({ json: nested('a'), ignoreKeys: ['user'] }), key({ json: nested('b'), ignoreKeys: ['user'] }));
  });

  it('differs by scope, provider, method, URL, seed and each answer-changing header', () => {
    const base = key();
    const variants = [
      key({ scope: 'key:other' }),
      key({ provider: 'groq' }),
      key({ method: 'PUT' }),
      key({ upstreamUrl: new URL('https://api.openai.com/v1/responses') }),
      key({ upstreamUrl: new URL('https://api.openai.com/v1/chat/completions?api-version=2') }),
      key({ seed: 's1' }),
      key({ headers: { 'anthropic-version': '2023-06-01' } }),
      key({ headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } }),
      key({ headers: { 'openai-organization': 'org-1' } }),
      key({ headers: { 'openai-project': 'proj-1' } }),
    ];
    assert.equal(new Set([base, ...variants]).size, variants.length + 1);
  });

  it('does not depend on credentials or other headers', () => {
    assert.equal(key({ headers: { authorization: 'Bearer sk-1', 'x-api-key': 'k', 'user-agent': 'a' } }), key());
  });

  it('hashes the raw bytes of a body that is not JSON', () => {
    assert.notEqual(key({ json: undefined, body: Buffer.from('a') }), key({ json: undefined, body: Buffer.from('b') }));
    assert.equal(key({ json: undefined, body: Buffer.from('a') }), key({ json: undefined, body: Buffer.from('a') }));
  });

  it('cannot be made to collide by moving text between parts', () => {
    assert.notEqual(key({ scope: 'ab', provider: 'c' }), key({ scope: 'a', provider: 'bc' }));
  });
});

describe('canonicalJson', () => {
  it('sorts keys and keeps values as JSON writes them', () => {
    assert.equal(canonicalJson({ b: [3, { d: 1, c: null }], a: 'x"y' }), '{"a":"x\\"y","b":[3,{"c":null,"d":1}]}');
  });
});
