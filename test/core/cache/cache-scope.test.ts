import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheScopeOf } from '../../../lambdas/core/cache/cache-scope.js';

test("a key's scope is its own unless the config shares one by name", () => {
  const scopes = { 'web-prod': 'web', 'web-canary': 'web' };
  assert.equal(cacheScopeOf({ keyHash: 'h1', name: 'batch' }, scopes), 'key:h1');
  assert.equal(cacheScopeOf({ keyHash: 'h2', name: 'web-prod' }, scopes), 'scope:web');
  assert.equal(cacheScopeOf({ keyHash: 'h3', name: 'web-canary' }, scopes), 'scope:web');
  assert.equal(cacheScopeOf({ keyHash: 'h4', name: 'toString' }, scopes), 'key:h4');
});
