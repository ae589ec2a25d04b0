import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenUsageFromResponsesUsage } from '../../../../lambdas/core/providers/openai-responses/responses-usage.js';

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
