import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LookoutError } from '../../../lambdas/core/lookout-error.js';
import { GENERIC_ROUTE_PREFIX, joinUpstreamUrl, resolveGatewayRoute } from '../../../lambdas/core/routing/gateway-route.js';

const config = {
  providers: {
    openai: { baseUrl: 'https://api.openai.com' },
    anthropic: { baseUrl: 'https://api.anthropic.com' },
    // A provider reached through a corporate proxy that serves it under a base path.
    'corp-openai': { baseUrl: 'https://llm.corp.example/openai' },
  },
};

function assertNoRoute(path: string): void {
  assert.throws(
    () => resolveGatewayRoute(path, config),
    (error: unknown) => {
      assert.ok(error instanceof LookoutError, `expected a LookoutError for ${path}, got ${String(error)}`);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'not_found');
      return true;
    },
    `expected ${path} to be a 404`,
  );
}

describe('resolveGatewayRoute', () => {
  it('routes /<provider>/v1/* to that provider with the path the provider expects', () => {
    assert.deepEqual(resolveGatewayRoute('/openai/v1/chat/completions', config), {
      provider: 'openai',
      upstreamPath: '/v1/chat/completions',
      needsTargetUrl: false,
      baseUrl: 'https://api.openai.com',
    });
    assert.deepEqual(resolveGatewayRoute('/anthropic/v1/messages', config), {
      provider: 'anthropic',
      upstreamPath: '/v1/messages',
      needsTargetUrl: false,
      baseUrl: 'https://api.anthropic.com',
    });
  });

  it('routes every configured provider, not only the built-in ones', () => {
    const route = resolveGatewayRoute('/corp-openai/v1/embeddings', config);
    assert.equal(route.provider, 'corp-openai');
    assert.equal(route.baseUrl, 'https://llm.corp.example/openai');
    assert.equal(route.upstreamPath, '/v1/embeddings');
  });

  it('keeps the bare /v1 path and deeper paths intact', () => {
    assert.equal(resolveGatewayRoute('/openai/v1', config).upstreamPath, '/v1');
    assert.equal(resolveGatewayRoute('/openai/v1/', config).upstreamPath, '/v1/');
    assert.equal(resolveGatewayRoute('/openai/v1/files/file-abc/content', config).upstreamPath, '/v1/files/file-abc/content');
  });

  it('routes /gateway/* to the generic route, which needs Lookout-Target-URL', () => {
    assert.equal(GENERIC_ROUTE_PREFIX, '/gateway');
    assert.deepEqual(resolveGatewayRoute('/gateway/v1/chat/completions', config), {
      provider: 'custom',
      upstreamPath: '/v1/chat/completions',
      needsTargetUrl: true,
    });
    // The generic route does not insist on /v1: the target may use any API layout.
    assert.equal(resolveGatewayRoute('/gateway/api/generate', config).upstreamPath, '/api/generate');
  });

  it('answers 404 for paths that name no route', () => {
    for (const path of [
      '/',
      '',
      '/openai', // the SDK base URL must include /v1
      '/openai/',
      '/openai/chat/completions',
      '/openai/v2/chat/completions',
      '/openai/v1x/chat',
      '/OpenAI/v1/chat/completions',
      '/mistral/v1/chat/completions', // not configured
      '/gateway',
      '/v1/chat/completions',
    ])
      assertNoRoute(path);
  });

  it('does not treat object prototype names as providers', () => {
    for (const path of ['/__proto__/v1/x', '/constructor/v1/x', '/toString/v1/x', '/hasOwnProperty/v1/x']) assertNoRoute(path);
  });

  it('names the configured providers and the generic route in the 404 message', () => {
    assert.throws(
      () => resolveGatewayRoute('/nope', config),
      (error: unknown) => {
        assert.ok(error instanceof LookoutError);
        assert.match(error.message, /\/nope/);
        assert.match(error.message, /openai, anthropic, corp-openai/);
        assert.match(error.message, /\/gateway/);
        return true;
      },
    );
  });

  it('refuses dot segments, which would let a request leave the provider base path and /v1', () => {
    // The URL parser resolves these when the upstream URL is built, so /openai/v1/../../admin
    // would otherwise reach https://llm.corp.example/admin.
    for (const path of [
      '/corp-openai/v1/../../admin',
      '/corp-openai/v1/%2e%2e/%2E%2E/admin',
      '/corp-openai/v1/.%2e/x',
      '/corp-openai/v1/..\\..\\admin',
      '/corp-openai/v1/./chat/completions',
      '/gateway/../admin',
    ])
      assertNoRoute(path);
  });

  it('still allows dots inside path segments', () => {
    assert.equal(resolveGatewayRoute('/openai/v1/models/gpt-4.1', config).upstreamPath, '/v1/models/gpt-4.1');
    assert.equal(resolveGatewayRoute('/openai/v1/files/...abc', config).upstreamPath, '/v1/files/...abc');
  });
});

describe('joinUpstreamUrl', () => {
  it('keeps a query configured on the base URL and adds the client query after it', () => {
    assert.equal(
      joinUpstreamUrl('https://corp.openai.azure.com/openai?api-version=2024-10-21', '/v1/chat/completions', 'limit=2').href,
      'https://corp.openai.azure.com/openai/v1/chat/completions?api-version=2024-10-21&limit=2',
    );
  });

  it('appends the request path to a bare origin', () => {
    assert.equal(joinUpstreamUrl('https://api.openai.com', '/v1/chat/completions', '').href, 'https://api.openai.com/v1/chat/completions');
  });

  it('keeps a base path of the origin', () => {
    assert.equal(
      joinUpstreamUrl('https://llm.corp.example/openai', '/v1/chat/completions', '').href,
      'https://llm.corp.example/openai/v1/chat/completions',
    );
  });

  it('does not double the slash when the base path ends with one', () => {
    assert.equal(
      joinUpstreamUrl('https://llm.corp.example/openai/', '/v1/chat/completions', '').href,
      'https://llm.corp.example/openai/v1/chat/completions',
    );
    assert.equal(joinUpstreamUrl('https://api.openai.com/', '/v1/models', '').href, 'https://api.openai.com/v1/models');
  });

  it('keeps a non-default port', () => {
    assert.equal(joinUpstreamUrl('http://127.0.0.1:8089', '/v1/messages', '').href, 'http://127.0.0.1:8089/v1/messages');
  });

  it('passes the query string on, without a stray "?" when there is none', () => {
    const url = joinUpstreamUrl('https://llm.corp.example/openai', '/v1/files', 'purpose=batch&limit=10');
    assert.equal(url.href, 'https://llm.corp.example/openai/v1/files?purpose=batch&limit=10');
    assert.equal(url.searchParams.get('purpose'), 'batch');
    assert.equal(url.searchParams.get('limit'), '10');
    assert.equal(joinUpstreamUrl('https://api.openai.com', '/v1/models', '').search, '');
  });

  it('keeps percent-encoded characters in the path as they are', () => {
    assert.equal(joinUpstreamUrl('https://api.openai.com', '/v1/files/a%2Fb', '').pathname, '/v1/files/a%2Fb');
  });
});
