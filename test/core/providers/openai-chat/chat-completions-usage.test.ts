import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenUsageFromOpenAiUsage } from '../../../../lambdas/core/providers/openai-chat/chat-completions-usage.js';

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
    const usage = tokenUsageFromOpenAiUsage({
      prompt_tokens: 50,
      completion_tokens: 5,
      prompt_cache_hit_tokens: 32,
      prompt_cache_miss_tokens: 18,
    });
    assert.equal(usage?.cachedTokens, 32);
  });

  it('reads embeddings usage, which has no completion', () => {
    assert.deepEqual(tokenUsageFromOpenAiUsage({ prompt_tokens: 8, total_tokens: 8 }), {
      promptTokens: 8,
      completionTokens: 0,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      totalTokens: 8,
    });
  });

  it('is null without counts, and never lets cache reads exceed the input', () => {
    assert.equal(tokenUsageFromOpenAiUsage(null), null);
    assert.equal(tokenUsageFromOpenAiUsage({}), null);
    assert.equal(tokenUsageFromOpenAiUsage({ prompt_tokens: '12' }), null);
    assert.equal(tokenUsageFromOpenAiUsage({ prompt_tokens: 10, prompt_tokens_details: { cached_tokens: 99 } })?.cachedTokens, 10);
  });
});
