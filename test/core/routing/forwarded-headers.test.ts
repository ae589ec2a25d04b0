import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLookoutHeader } from '../../../lambdas/core/headers/header-names.js';
import { clientResponseHeaders, upstreamRequestHeaders } from '../../../lambdas/core/routing/forwarded-headers.js';

/** Headers as the handler hands them over: names lower-cased. */
const clientRequest: Record<string, string> = {
  // What the provider needs.
  authorization: 'Bearer sk-provider-secret',
  'x-api-key': 'sk-ant-secret',
  'anthropic-version': '2023-06-01',
  'anthropic-beta': 'prompt-caching-2024-07-31',
  'openai-organization': 'org-123',
  'content-type': 'application/json',
  accept: 'text/event-stream',
  'user-agent': 'OpenAI/JS 4.0.0',
  'x-stainless-retry-count': '0',
  // Consumed by Lookout.
  'lookout-auth': 'Bearer lk_gateway_key',
  'lookout-user-id': 'alice',
  'lookout-property-feature': 'chat',
  'lookout-target-url': 'https://llm.example.com',
  'helicone-auth': 'Bearer lk_gateway_key',
  'helicone-session-id': '8a2f0c1e-0000-4000-8000-000000000000',
  'helicone-cache-enabled': 'true',
  // Added by API Gateway / CloudFront / the local runtime.
  'x-amzn-trace-id': 'Root=1-abc',
  'x-amzn-apigateway-api-id': 'abc123',
  'x-amz-cf-id': 'cf-id',
  'x-forwarded-for': '203.0.113.9',
  'x-forwarded-proto': 'https',
  'x-forwarded-port': '443',
  'cloudfront-viewer-country': 'DE',
  via: '1.1 abc.cloudfront.net (CloudFront)',
  'x-lookout-local-request': '1',
  // Set by the HTTP client for the upstream hop itself.
  host: 'abc123.execute-api.eu-west-1.amazonaws.com',
  'content-length': '123',
  expect: '100-continue',
  // Hop-by-hop.
  connection: 'keep-alive, x-client-hop',
  'keep-alive': 'timeout=5',
  'transfer-encoding': 'chunked',
  te: 'trailers',
  trailer: 'x-checksum',
  upgrade: 'h2c',
  'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
  'proxy-connection': 'keep-alive',
  'x-client-hop': 'only for the next hop',
  'accept-encoding': 'gzip, deflate, br',
};

describe('upstreamRequestHeaders', () => {
  const forwarded = upstreamRequestHeaders(clientRequest, isLookoutHeader);

  it('passes provider credentials and the provider headers through untouched', () => {
    assert.equal(forwarded['authorization'], 'Bearer sk-provider-secret');
    assert.equal(forwarded['x-api-key'], 'sk-ant-secret');
    assert.equal(forwarded['anthropic-version'], '2023-06-01');
    assert.equal(forwarded['anthropic-beta'], 'prompt-caching-2024-07-31');
    assert.equal(forwarded['openai-organization'], 'org-123');
    assert.equal(forwarded['content-type'], 'application/json');
    assert.equal(forwarded['accept'], 'text/event-stream');
    assert.equal(forwarded['user-agent'], 'OpenAI/JS 4.0.0');
    assert.equal(forwarded['x-stainless-retry-count'], '0');
  });

  it('never forwards Lookout or Helicone headers (the gateway key stays with Lookout)', () => {
    const leaked = Object.keys(forwarded).filter((name) => name.startsWith('lookout-') || name.startsWith('helicone-'));
    assert.deepEqual(leaked, []);
    assert.ok(!Object.values(forwarded).some((value) => value.includes('lk_gateway_key')));
  });

  it('does not forward headers the platform added', () => {
    for (const name of [
      'x-amzn-trace-id',
      'x-amzn-apigateway-api-id',
      'x-amz-cf-id',
      'x-forwarded-for',
      'x-forwarded-proto',
      'x-forwarded-port',
      'cloudfront-viewer-country',
      'via',
      'x-lookout-local-request',
    ]) {
      assert.equal(forwarded[name], undefined, name);
    }
  });

  it('drops host, content-length and expect, which belong to the upstream hop', () => {
    for (const name of ['host', 'content-length', 'expect']) assert.equal(forwarded[name], undefined, name);
  });

  it('strips hop-by-hop headers and the ones Connection names', () => {
    for (const name of [
      'connection',
      'keep-alive',
      'transfer-encoding',
      'te',
      'trailer',
      'upgrade',
      'proxy-authorization',
      'proxy-connection',
      'x-client-hop',
    ]) {
      assert.equal(forwarded[name], undefined, name);
    }
  });

  it('reads Connection case-insensitively and with stray spaces and commas', () => {
    const out = upstreamRequestHeaders({ connection: ' X-One ,,x-TWO ', 'x-one': '1', 'x-two': '2', 'x-three': '3' }, isLookoutHeader);
    assert.deepEqual(out, { 'x-three': '3', 'accept-encoding': 'identity' });
  });

  it('asks for an uncompressed answer whatever the client accepts', () => {
    assert.equal(forwarded['accept-encoding'], 'identity');
    assert.equal(upstreamRequestHeaders({}, isLookoutHeader)['accept-encoding'], 'identity');
  });

  it('forwards exactly the provider headers and nothing else', () => {
    assert.deepEqual(Object.keys(forwarded).sort(), [
      'accept',
      'accept-encoding',
      'anthropic-beta',
      'anthropic-version',
      'authorization',
      'content-type',
      'openai-organization',
      'user-agent',
      'x-api-key',
      'x-stainless-retry-count',
    ]);
  });

  it('uses the given predicate to recognise gateway headers', () => {
    const out = upstreamRequestHeaders({ 'x-mine': '1', 'x-theirs': '2' }, (name) => name === 'x-mine');
    assert.deepEqual(out, { 'x-theirs': '2', 'accept-encoding': 'identity' });
  });

  it('does not change the client headers it was given', () => {
    const headers = { authorization: 'Bearer sk', connection: 'close', 'lookout-auth': 'Bearer lk' };
    const copy = { ...headers };
    upstreamRequestHeaders(headers, isLookoutHeader);
    assert.deepEqual(headers, copy);
  });
});

describe('clientResponseHeaders', () => {
  it('passes the provider response headers back, rate-limit and request-id headers included', () => {
    const upstream = {
      'content-type': 'text/event-stream; charset=utf-8',
      'x-request-id': 'req_123',
      'x-ratelimit-remaining-requests': '99',
      'anthropic-ratelimit-tokens-remaining': '1000',
      'retry-after': '3',
      'openai-processing-ms': '120',
      'set-cookie': '__cf_bm=abc',
      'cache-control': 'no-cache',
    };
    assert.deepEqual(clientResponseHeaders(upstream), upstream);
  });

  it('strips hop-by-hop headers and the ones Connection names', () => {
    const out = clientResponseHeaders({
      'content-type': 'application/json',
      connection: 'keep-alive, X-Upstream-Hop',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      trailer: 'x-checksum',
      upgrade: 'h2',
      'proxy-authenticate': 'Basic',
      'x-upstream-hop': 'secret hop data',
      'x-request-id': 'req_1',
    });
    assert.deepEqual(out, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
  });
});
