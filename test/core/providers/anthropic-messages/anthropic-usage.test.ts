import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  mergeAnthropicUsage,
  noAnthropicUsageCounts,
  tokenUsageFromAnthropicCounts,
} from '../../../../lambdas/core/providers/anthropic-messages/anthropic-usage.js';

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
      promptTokens: 510,
      completionTokens: 7,
      cachedTokens: 200,
      cacheWriteTokens: 300,
      cacheWrite1hTokens: 200,
      totalTokens: 517,
    });
  });

  it('lets a later report replace an earlier count, and null leave it', () => {
    let counts = mergeAnthropicUsage(noAnthropicUsageCounts, { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 1 });
    counts = mergeAnthropicUsage(counts, { input_tokens: null, cache_read_input_tokens: null, output_tokens: 40 });
    assert.deepEqual(counts, { ...noAnthropicUsageCounts, inputTokens: 10, cacheReadInputTokens: 5, outputTokens: 40 });
  });

  it('treats a body without cache fields (older API versions) as no cache use', () => {
    const usage = tokenUsageFromAnthropicCounts(mergeAnthropicUsage(noAnthropicUsageCounts, { input_tokens: 3, output_tokens: 4 }));
    assert.deepEqual(usage, {
      promptTokens: 3,
      completionTokens: 4,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      totalTokens: 7,
    });
    assert.equal(tokenUsageFromAnthropicCounts(noAnthropicUsageCounts), null);
  });
});
