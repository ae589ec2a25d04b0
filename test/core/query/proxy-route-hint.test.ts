import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proxyRouteHint } from '../../../lambdas/core/query/proxy-route-hint.js';

test('provider endpoints under /v1 get a hint naming the proxy routes', () => {
  for (const path of [
    '/v1/chat/completions',
    '/v1/messages',
    '/v1/embeddings',
    '/v1/responses',
    '/v1/models',
    '/v1/models/gpt-4o',
    '/v1/messages/count_tokens',
  ]) {
    const hint = proxyRouteHint(path);
    assert.ok(hint?.includes('<lookout>/openai/v1') && hint.includes('<lookout>/anthropic'), path);
  }
});

test('other unknown query paths get no hint', () => {
  for (const path of ['/v1/nothing-here', '/v1/requestsx', '/v1/chat', '/openai/v1/chat/completions', '/v1/messagesx']) {
    assert.equal(proxyRouteHint(path), null, path);
  }
});
