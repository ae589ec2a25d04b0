import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isQueryApiPath, RESERVED_PROVIDER_NAMES } from '../../lambdas/contract/routes.js';

describe('routes', () => {
  it('sends /v1, everything under it, /healthz and the dashboard to the query API', () => {
    for (const path of [
      '/v1',
      '/v1/',
      '/v1/requests',
      '/v1/chat/completions',
      '/healthz',
      '/dashboard',
      '/dashboard/',
      '/dashboard/assets/app.js',
    ])
      assert.ok(isQueryApiPath(path), path);
  });

  it('sends every other path to the gateway, look-alikes of the query routes included', () => {
    for (const path of [
      '/',
      '/openai/v1/chat/completions',
      '/anthropic/v1/messages',
      '/gateway/x',
      '/v10',
      '/v1x/requests',
      '/healthz/',
      '/healthz/x',
      '/nothing',
      '/dashboards',
    ]) {
      assert.ok(!isQueryApiPath(path), path);
    }
  });

  it('reserves the names of the built-in routes and of the generic route provider', () => {
    assert.deepEqual(RESERVED_PROVIDER_NAMES, ['gateway', 'v1', 'healthz', 'dashboard', 'custom']);
  });
});
