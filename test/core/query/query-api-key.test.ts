import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LookoutError } from '../../../lambdas/core/lookout-error.js';
import { queryApiKey } from '../../../lambdas/core/query/query-api-key.js';

describe('queryApiKey', () => {
  it('reads Lookout-Auth, then Helicone-Auth, then Authorization', () => {
    assert.equal(queryApiKey({ 'lookout-auth': 'Bearer lk_a', 'helicone-auth': 'Bearer lk_b', authorization: 'Bearer lk_c' }), 'lk_a');
    assert.equal(queryApiKey({ 'helicone-auth': 'Bearer lk_b', authorization: 'Bearer lk_c' }), 'lk_b');
    assert.equal(queryApiKey({ authorization: 'Bearer lk_c' }), 'lk_c');
  });

  it('is null without a key (the caller answers 401), including non-bearer Authorization', () => {
    assert.equal(queryApiKey({}), null);
    assert.equal(queryApiKey({ authorization: 'Basic dXNlcjpwYXNz' }), null);
  });

  it('refuses a malformed Lookout-Auth by name, as the gateway does', () => {
    assert.throws(
      () => queryApiKey({ 'lookout-auth': 'lk_a' }),
      (error: unknown) => error instanceof LookoutError && error.status === 400 && /Lookout-Auth/.test(error.message),
    );
  });

  it('ignores other monitoring headers on a read call', () => {
    assert.equal(queryApiKey({ 'lookout-auth': 'Bearer lk_a', 'lookout-request-id': 'not-a-uuid' }), 'lk_a');
  });
});
