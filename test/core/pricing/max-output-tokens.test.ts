import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMaxOutputTokens } from '../../../lambdas/core/pricing/max-output-tokens.js';
import { MODEL_PRICES } from '../../../lambdas/core/pricing/price-table.js';

describe('findMaxOutputTokens', () => {
  it("finds a model's limit by its id, a dated snapshot of it, or an alias", () => {
    assert.equal(findMaxOutputTokens('openai', 'gpt-4o'), 16_384);
    assert.equal(findMaxOutputTokens('openai', 'gpt-4o-2024-08-06'), 16_384);
    assert.equal(findMaxOutputTokens('anthropic', 'claude-sonnet-4-5-20250929'), 64_000);
    assert.equal(findMaxOutputTokens('anthropic', 'claude-opus-4-0'), 32_000);
    assert.equal(findMaxOutputTokens('OpenAI', 'openai/GPT-5'), 128_000);
  });

  it('takes a snapshot with a row of its own from that row, not its family', () => {
    assert.equal(findMaxOutputTokens('openai', 'gpt-4o-2024-05-13'), 4096);
  });

  it('is null for a model the table does not know, or knows without a limit', () => {
    assert.equal(findMaxOutputTokens('openai', 'gpt-9'), null);
    assert.equal(findMaxOutputTokens('groq', 'gpt-4o'), null);
    assert.equal(findMaxOutputTokens('anthropic', 'claude-mythos-5-1'), null);
  });

  it('is 0 for embedding models, which produce no output', () => {
    assert.equal(findMaxOutputTokens('openai', 'text-embedding-3-small'), 0);
  });

  it('holds whole token counts in the table, and every chat model of both providers but one has one', () => {
    const missing = MODEL_PRICES.filter((entry) => entry.maxOutputTokens === undefined).map((entry) => entry.model);
    assert.deepEqual(missing, ['claude-mythos-5-1']);
    for (const entry of MODEL_PRICES) {
      if (entry.maxOutputTokens !== undefined)
        assert.ok(Number.isSafeInteger(entry.maxOutputTokens) && entry.maxOutputTokens >= 0, entry.model);
    }
  });
});
