import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findModelPrice } from '../../../lambdas/core/pricing/compute-cost.js';
import { modelFamilyOf, priceLookupNames } from '../../../lambdas/core/pricing/model-matching.js';
import type { ModelPriceOverride } from '../../../lambdas/contract/runtime-config-schema.js';

function matchedName(provider: string, model: string, overrides: ModelPriceOverride[] = []): string | null {
  return findModelPrice(provider, model, overrides)?.model ?? null;
}

describe('model matching', () => {
  it('maps dated snapshots and -latest aliases to their family', () => {
    const cases: Array<[provider: string, id: string, family: string]> = [
      ['openai', 'gpt-4o-2024-08-06', 'gpt-4o'],
      ['openai', 'gpt-4o-2024-11-20', 'gpt-4o'],
      ['openai', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
      ['openai', 'o3-mini-2025-01-31', 'o3-mini'],
      ['openai', 'gpt-5.4-nano-2026-03-17', 'gpt-5.4-nano'],
      ['openai', 'gpt-4-0613', 'gpt-4'],
      ['openai', 'gpt-4-32k-0314', 'gpt-4-32k'],
      ['openai', 'gpt-3.5-turbo-0125', 'gpt-3.5-turbo'],
      ['anthropic', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
      ['anthropic', 'claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
      ['anthropic', 'claude-opus-4-20250514', 'claude-opus-4'],
      ['anthropic', 'claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
      ['anthropic', 'claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
      ['anthropic', 'claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ];
    for (const [provider, id, family] of cases) {
      assert.equal(matchedName(provider, id), family, id);
    }
  });

  it('never lets a mini model fall back to its base model', () => {
    assert.equal(matchedName('openai', 'gpt-4o-mini-2024-07-18'), 'gpt-4o-mini');
    assert.equal(matchedName('openai', 'gpt-4o-mini'), 'gpt-4o-mini');
    assert.equal(matchedName('openai', 'gpt-5-mini-2025-08-07'), 'gpt-5-mini');
    assert.equal(matchedName('openai', 'o4-mini-2025-04-16'), 'o4-mini');
  });

  it('prefers an exact snapshot row over its family when the snapshot kept its own price', () => {
    assert.equal(matchedName('openai', 'gpt-4o-2024-05-13'), 'gpt-4o-2024-05-13');
    assert.equal(matchedName('openai', 'gpt-3.5-turbo-0613'), 'gpt-3.5-turbo-0613');
  });

  it('matches listed aliases that the suffix rule cannot reach', () => {
    assert.equal(matchedName('anthropic', 'claude-opus-4-0'), 'claude-opus-4');
    assert.equal(matchedName('openai', 'gpt-5-chat-latest'), 'gpt-5');
    assert.equal(matchedName('openai', 'gpt-4-1106-preview'), 'gpt-4-turbo');
    assert.equal(matchedName('openai', 'o1-preview-2024-09-12'), 'o1');
  });

  it("accepts the request provider's own router prefix and ignores case and whitespace", () => {
    assert.equal(matchedName('openai', 'openai/gpt-4o-2024-08-06'), 'gpt-4o');
    assert.equal(matchedName('anthropic', ' Claude-Sonnet-4-5 '), 'claude-sonnet-4-5');
    assert.equal(matchedName('OpenAI', 'gpt-4o'), 'gpt-4o');
  });

  it("leaves other vendors' ids and look-alike models unpriced rather than guess", () => {
    const unmatched: Array<[string, string]> = [
      ['openai', 'anthropic/claude-sonnet-4-5'], // another provider's prefix
      ['anthropic', 'anthropic.claude-3-5-sonnet-20240620-v1:0'], // Bedrock SKU
      ['anthropic', 'claude-3-5-sonnet@20240620'], // Vertex SKU
      ['openai', 'gpt-4o-audio-preview-2024-12-17'], // audio is billed per modality
      ['openai', 'gpt-4o-realtime-preview'],
      ['openai', 'chatgpt-4o-latest'], // not a snapshot of a priced family
      ['openai', 'ft:gpt-4o-mini-2024-07-18:acme::abc123'], // fine-tunes cost more
      ['openai', 'gpt-5.6-sol'], // deliberately not in the table
      ['anthropic', 'gpt-4o'], // right model, wrong provider
    ];
    for (const [provider, id] of unmatched) {
      assert.equal(findModelPrice(provider, id, []), null, `${provider} ${id}`);
    }
  });

  it('lets a config override win over the table under the same name', () => {
    const overrides: ModelPriceOverride[] = [{ provider: 'openai', model: 'gpt-4o', input: 2, output: 8 }];
    const price = findModelPrice('openai', 'gpt-4o-2024-08-06', overrides);
    assert.equal(price?.source, 'config');
    assert.equal(price?.standard.input, 2_000_000n); // $2/M = 2,000,000 pico-dollars a token
    // A more specific table row still beats an override of the family.
    assert.equal(findModelPrice('openai', 'gpt-4o-2024-05-13', overrides)?.source, 'table');
  });

  it('matches an override written as an exact snapshot only for that snapshot', () => {
    const overrides: ModelPriceOverride[] = [{ provider: 'openai', model: 'gpt-4o-2024-11-20', input: 1, output: 4 }];
    assert.equal(findModelPrice('openai', 'gpt-4o-2024-11-20', overrides)?.source, 'config');
    assert.equal(findModelPrice('openai', 'gpt-4o-2024-08-06', overrides)?.source, 'table');
  });
});

describe('modelFamilyOf', () => {
  it('strips exactly one snapshot suffix and nothing else', () => {
    assert.equal(modelFamilyOf('gpt-4o-2024-08-06'), 'gpt-4o');
    assert.equal(modelFamilyOf('claude-opus-4-1-20250805'), 'claude-opus-4-1');
    assert.equal(modelFamilyOf('gpt-3.5-turbo-16k-0613'), 'gpt-3.5-turbo-16k');
    assert.equal(modelFamilyOf('claude-3-opus-latest'), 'claude-3-opus');
    assert.equal(modelFamilyOf('gpt-4o'), null);
    assert.equal(modelFamilyOf('claude-haiku-4-5'), null);
  });

  it('does not treat numbers that are not dates as snapshot suffixes', () => {
    assert.equal(modelFamilyOf('model-2024-13-01'), null);
    assert.equal(modelFamilyOf('model-20241341'), null);
    assert.equal(modelFamilyOf('model-9999'), null);
    assert.equal(modelFamilyOf('-latest'), null);
  });

  it('lists the exact id before the family', () => {
    assert.deepEqual(priceLookupNames('anthropic', 'claude-sonnet-4-5-20250929'), ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5']);
    assert.deepEqual(priceLookupNames('openai', 'gpt-4o'), ['gpt-4o']);
    assert.deepEqual(priceLookupNames('openai', '  '), []);
  });
});
