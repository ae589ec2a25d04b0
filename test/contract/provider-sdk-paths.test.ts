import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { providerSdk, providerSdkBasePath } from '../../lambdas/contract/provider-sdk-paths.js';

describe('providerSdkBasePath', () => {
  it('keeps /v1 in the base URL of OpenAI-style SDKs, which append only what follows it', () => {
    assert.equal(providerSdkBasePath('openai'), '/openai/v1');
  });

  it('stops at the provider for the Anthropic SDK, which appends /v1/messages itself', () => {
    assert.equal(providerSdkBasePath('anthropic'), '/anthropic');
  });

  it("gives every other provider OpenAI's SDK and its base path", () => {
    assert.equal(providerSdk('groq'), 'openai');
    assert.equal(providerSdkBasePath('groq'), '/groq/v1');
    assert.equal(providerSdkBasePath('my-llm'), '/my-llm/v1');
    assert.equal(providerSdk('constructor'), 'openai', 'a name on Object.prototype is no SDK');
  });
});
