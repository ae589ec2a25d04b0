import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  mergeAnthropicUsage,
  noAnthropicUsageCounts,
  tokenUsageFromAnthropicCounts,
  tokenUsageFromOpenAiUsage,
  tokenUsageFromResponsesUsage,
} from '../../../lambdas/core/usage/provider-usage.js';

describe('tokenUsageFromOpenAiUsage', () => {
  it('takes cache reads from prompt_tokens_details, already inside prompt_tokens', () => {
    assert.deepEqual(
      tokenUsageFromOpenAiUsage({
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        prompt_tokens_details: { cached_tokens: 64 },
        completion_tokens_details: { reasoning_tokens: 12 },
      }),
      { promptTokens: 100, completionTokens: 20, cachedTokens: 64, cacheWriteTokens: 0, cacheWrite1hTokens: 0, totalTokens: 120 },
    );
  });

  it("reads DeepSeek's cache-hit field when there are no details", () => {
    const usage = tokenUsageFromOpenAiUsage({ prompt_tokens: 50, completion_tokens: 5, prompt_cache_hit_tokens: 32, prompt_cache_miss_tokens: 18 });
    assert.equal(usage?.cachedTokens, 32);
  });

  it('reads embeddings usage, which has no completion', () => {
    assert.deepEqual(tokenUsageFromOpenAiUsage({ prompt_tokens: 8, total_tokens: 8 }), {
      promptTokens: 8, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, totalTokens: 8,
    });
  });

  it('is null without counts, and never lets cache reads exceed the input', () => {
    assert.equal(tokenUsageFromOpenAiUsage(null), null);
    assert.equal(tokenUsageFromOpenAiUsage({}), null);
    assert.equal(tokenUsageFromOpenAiUsage({ prompt_tokens: '12' }), null);
    assert.equal(tokenUsageFromOpenAiUsage({ prompt_tokens: 10, prompt_tokens_details: { cached_tokens: 99 } })?.cachedTokens, 10);
  });
});

describe('tokenUsageFromResponsesUsage', () => {
  it('maps input/output tokens and cached input', () => {
    assert.deepEqual(
      tokenUsageFromResponsesUsage({
        input_tokens: 300,
        input_tokens_details: { cached_tokens: 256 },
        output_tokens: 90,
        output_tokens_details: { reasoning_tokens: 64 },
        total_tokens: 390,
      }),
      { promptTokens: 300, completionTokens: 90, cachedTokens: 256, cacheWriteTokens: 0, cacheWrite1hTokens: 0, totalTokens: 390 },
    );
    assert.equal(tokenUsageFromResponsesUsage(null), null);
  });
});

describe('Anthropic usage', () => {
  it('adds cache reads and writes to input_tokens to make promptTokens', () => {
    const counts = mergeAnthropicUsage(noAnthropicUsageCounts, {
      input_tokens: 10,
      cache_read_input_tokens: 200,
      cache_creation_input_tokens: 300,
      cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
      output_tokens: 7,
    });
    assert.deepEqual(tokenUsageFromAnthropicCounts(counts), {
      promptTokens: 510, completionTokens: 7, cachedTokens: 200, cacheWriteTokens: 300, cacheWrite1hTokens: 200, totalTokens: 517,
    });
  });

  it('lets a later report replace an earlier count, and null leave it', () => {
    let counts = mergeAnthropicUsage(noAnthropicUsageCounts, { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 });
    counts = mergeAnthropicUsage(counts, { input_tokens: null, cache_read_input_tokens: null, output_tokens: 40 });
    assert.deepEqual(counts, { ...noAnthropicUsageCounts, inputTokens: 10, cacheReadInputTokens: 5, outputTokens: 40 });
  });

  it('treats a body without cache fields (older API versions) as no cache use', () => {
    const usage = tokenUsageFromAnthropicCounts(mergeAnthropicUsage(noAnthropicUsageCounts, { input_tokens: 3, output_tokens: 4 }));
    assert.deepEqual(usage, { promptTokens: 3, completionTokens: 4, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, totalTokens: 7 });
    assert.equal(tokenUsageFromAnthropicCounts(noAnthropicUsageCounts), null);
  });
});
