import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { providerSdkBasePath } from '../../../lambdas/contract/provider-sdk-paths.js';
import { classifyEndpoint, wireFormats } from '../../../lambdas/core/providers/registry.js';
import { resolveGatewayRoute } from '../../../lambdas/core/routing/gateway-route.js';

describe('classifyEndpoint', () => {
  it('recognises the OpenAI and Anthropic generation endpoints', () => {
    assert.equal(classifyEndpoint('/v1/chat/completions'), 'openai.chat');
    assert.equal(classifyEndpoint('/v1/responses'), 'openai.responses');
    assert.equal(classifyEndpoint('/v1/embeddings'), 'openai.embeddings');
    assert.equal(classifyEndpoint('/v1/messages'), 'anthropic.messages');
  });

  it('recognises compatible providers by the end of the path, behind any prefix or query', () => {
    assert.equal(classifyEndpoint('/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21'), 'openai.chat');
    assert.equal(classifyEndpoint('/v1beta/openai/chat/completions'), 'openai.chat');
    assert.equal(classifyEndpoint('/openai/v1/responses/'), 'openai.responses');
    assert.equal(classifyEndpoint('/anthropic/v1/messages'), 'anthropic.messages');
  });

  it('treats sub-resources and everything else as other', () => {
    assert.equal(classifyEndpoint('/v1/responses/resp_123'), 'other');
    assert.equal(classifyEndpoint('/v1/chat/completions/chatcmpl-1/messages'), 'other');
    assert.equal(classifyEndpoint('/v1/messages/count_tokens'), 'other');
    assert.equal(classifyEndpoint('/v1/messages/batches'), 'other');
    assert.equal(classifyEndpoint('/v1/threads/thread_1/messages'), 'other');
    assert.equal(classifyEndpoint('/v1/models'), 'other');
  });
});

describe('wire format registry', () => {
  it("reaches every format at the path its SDK requests from the base URL Lookout gives that SDK's provider", () => {
    const providers = { openai: { baseUrl: 'https://api.openai.com' }, anthropic: { baseUrl: 'https://api.anthropic.com' } };
    for (const [id, format] of Object.entries(wireFormats)) {
      const route = resolveGatewayRoute(`${providerSdkBasePath(format.sdk)}${format.endpointPath}`, { providers });
      assert.equal(route.provider, format.sdk, id);
      assert.equal(classifyEndpoint(route.upstreamPath), id);
    }
  });
});
