import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeCost, nanoUsdToUsd } from '../../../lambdas/core/pricing/compute-cost.js';
import type { ModelPriceOverride } from '../../../lambdas/contract/runtime-config-schema.js';
import type { TokenUsage } from '../../../lambdas/core/usage/token-usage.js';

// Builds a usage the way the extractors do: promptTokens counts every input token.
function usage(parts: { uncached?: number; cached?: number; cacheWrite5m?: number; cacheWrite1h?: number; output?: number }): TokenUsage {
  const cached = parts.cached ?? 0;
  const cacheWrite1h = parts.cacheWrite1h ?? 0;
  const cacheWrite = (parts.cacheWrite5m ?? 0) + cacheWrite1h;
  const promptTokens = (parts.uncached ?? 0) + cached + cacheWrite;
  const completionTokens = parts.output ?? 0;
  return {
    promptTokens,
    completionTokens,
    cachedTokens: cached,
    cacheWriteTokens: cacheWrite,
    cacheWrite1hTokens: cacheWrite1h,
    totalTokens: promptTokens + completionTokens,
  };
}

const noOverrides: ModelPriceOverride[] = [];

describe('computeCost: OpenAI', () => {
  it('bills cached input at the cached-input price (gpt-4o)', () => {
    // 800 uncached × $2.50/M = $0.002      = 2,000,000 nano
    // 400 cached   × $1.25/M = $0.0005    =   500,000 nano
    // 300 output   × $10/M   = $0.003      = 3,000,000 nano
    //                                total = 5,500,000 nano = $0.0055
    const cost = computeCost('openai', 'gpt-4o', usage({ uncached: 800, cached: 400, output: 300 }), noOverrides);
    assert.deepEqual(cost, { costNanoUsd: 5_500_000, unpriced: false });
  });

  it('keeps sub-cent prices exact (gpt-4o-mini)', () => {
    // 210 uncached × $0.15/M  = $0.0000315   = 31,500 nano
    // 1024 cached  × $0.075/M = $0.0000768   = 76,800 nano
    // 77 output    × $0.60/M  = $0.0000462   = 46,200 nano
    //                                  total = 154,500 nano
    const cost = computeCost('openai', 'gpt-4o-mini', usage({ uncached: 210, cached: 1024, output: 77 }), noOverrides);
    assert.deepEqual(cost, { costNanoUsd: 154_500, unpriced: false });
  });

  it('bills cached tokens at the full input price when the model has no cache discount (o1-pro)', () => {
    // (600 uncached + 400 cached) × $150/M = $0.15 = 150,000,000 nano
    // 100 output × $600/M                  = $0.06 =  60,000,000 nano
    const cost = computeCost('openai', 'o1-pro', usage({ uncached: 600, cached: 400, output: 100 }), noOverrides);
    assert.equal(cost.costNanoUsd, 210_000_000);
  });

  it('prices embeddings on input alone', () => {
    // 5,000 input × $0.02/M = $0.0001 = 100,000 nano
    const cost = computeCost('openai', 'text-embedding-3-small', usage({ uncached: 5_000 }), noOverrides);
    assert.equal(cost.costNanoUsd, 100_000);
  });

  it('switches gpt-5.4 to its long-context prices for the whole request above 272K input', () => {
    // 200,000 uncached × $5/M (2 × $2.50)     = $1.00  = 1,000,000,000 nano
    // 100,000 cached   × $0.50/M (2 × $0.25)  = $0.05  =    50,000,000 nano
    // 1,000 output     × $22.50/M (1.5 × $15) = $0.0225 =   22,500,000 nano
    //                                                total = 1,072,500,000 nano
    const cost = computeCost('openai', 'gpt-5.4', usage({ uncached: 200_000, cached: 100_000, output: 1_000 }), noOverrides);
    assert.equal(cost.costNanoUsd, 1_072_500_000);
  });
});

describe('computeCost: Anthropic', () => {
  it('bills cache reads, 5-minute writes and 1-hour writes at their own prices (claude-sonnet-4-5)', () => {
    // 50 uncached      × $3/M    = $0.00015  =   150,000 nano
    // 10,000 cache read × $0.30/M = $0.003    = 3,000,000 nano
    // 1,500 5m write   × $3.75/M = $0.005625 = 5,625,000 nano
    // 500 1h write     × $6/M    = $0.003    = 3,000,000 nano
    // 400 output       × $15/M   = $0.006    = 6,000,000 nano
    //                                  total = 17,775,000 nano = $0.017775
    const cost = computeCost(
      'anthropic',
      'claude-sonnet-4-5-20250929',
      usage({ uncached: 50, cached: 10_000, cacheWrite5m: 1_500, cacheWrite1h: 500, output: 400 }),
      noOverrides,
    );
    assert.deepEqual(cost, { costNanoUsd: 17_775_000, unpriced: false });
  });

  it('uses the long-context tier for every token once all input (cache reads included) exceeds 200K', () => {
    // promptTokens = 200,000 uncached + 50,000 cache reads = 250,000 > 200,000
    // 200,000 uncached × $6/M     = $1.20  = 1,200,000,000 nano
    // 50,000 cache read × $0.60/M = $0.03  =    30,000,000 nano
    // 2,000 output     × $22.50/M = $0.045 =    45,000,000 nano
    //                                total = 1,275,000,000 nano
    const cost = computeCost('anthropic', 'claude-sonnet-4-5', usage({ uncached: 200_000, cached: 50_000, output: 2_000 }), noOverrides);
    assert.equal(cost.costNanoUsd, 1_275_000_000);
  });

  it('keeps standard prices at exactly 200K input and switches at 200,001', () => {
    // 200,000 × $3/M = $0.60 = 600,000,000 nano; 2,000 × $15/M = $0.03 = 30,000,000 nano
    const atThreshold = computeCost('anthropic', 'claude-sonnet-4', usage({ uncached: 200_000, output: 2_000 }), noOverrides);
    assert.equal(atThreshold.costNanoUsd, 630_000_000);
    // 200,001 × $6/M = $1.200006 = 1,200,006,000 nano; 2,000 × $22.50/M = 45,000,000 nano
    const above = computeCost('anthropic', 'claude-sonnet-4', usage({ uncached: 200_001, output: 2_000 }), noOverrides);
    assert.equal(above.costNanoUsd, 1_245_006_000);
  });

  it('has no long-context surcharge on Sonnet 4.6', () => {
    // 250,000 × $3/M = $0.75 = 750,000,000 nano; 2,000 × $15/M = 30,000,000 nano
    const cost = computeCost('anthropic', 'claude-sonnet-4-6', usage({ uncached: 250_000, output: 2_000 }), noOverrides);
    assert.equal(cost.costNanoUsd, 780_000_000);
  });

  it('prices Haiku 5.5 five times higher above 100K input', () => {
    // 100,001 × $0.50/M = $0.0500005 = 50,000,500 nano; 1,000 × $2.50/M = 2,500,000 nano
    const cost = computeCost('anthropic', 'claude-haiku-5-5', usage({ uncached: 100_001, output: 1_000 }), noOverrides);
    assert.equal(cost.costNanoUsd, 52_500_500);
  });
});

describe('computeCost: matching and unknown models', () => {
  it('prices a dated snapshot as its family', () => {
    const u = usage({ uncached: 800, cached: 400, output: 300 });
    assert.deepEqual(computeCost('openai', 'gpt-4o-2024-08-06', u, noOverrides), computeCost('openai', 'gpt-4o', u, noOverrides));
  });

  it('prices gpt-4o-mini-2024-07-18 as gpt-4o-mini, not gpt-4o', () => {
    // 1,000 × $0.15/M = 150,000 nano; 1,000 × $0.60/M = 600,000 nano → 750,000 nano (gpt-4o would be 12,500,000)
    const cost = computeCost('openai', 'gpt-4o-mini-2024-07-18', usage({ uncached: 1_000, output: 1_000 }), noOverrides);
    assert.equal(cost.costNanoUsd, 750_000);
  });

  it('returns unpriced, never 0, for an unknown model or provider', () => {
    const u = usage({ uncached: 100, output: 10 });
    assert.deepEqual(computeCost('openai', 'gpt-4o-audio-preview-2024-12-17', u, noOverrides), { costNanoUsd: null, unpriced: true });
    assert.deepEqual(computeCost('openai', 'my-finetune', u, noOverrides), { costNanoUsd: null, unpriced: true });
    assert.deepEqual(computeCost('mistral', 'mistral-large-latest', u, noOverrides), { costNanoUsd: null, unpriced: true });
    assert.deepEqual(computeCost('openai', 'claude-sonnet-4-5', u, noOverrides), { costNanoUsd: null, unpriced: true });
    assert.deepEqual(computeCost('openai', '', u, noOverrides), { costNanoUsd: null, unpriced: true });
  });

  it('prices a request with no tokens at 0 when the model is known', () => {
    assert.deepEqual(computeCost('openai', 'gpt-4o', usage({}), noOverrides), { costNanoUsd: 0, unpriced: false });
  });
});

describe('computeCost: config overrides', () => {
  it('adds a model the table does not know, and its snapshots', () => {
    const overrides: ModelPriceOverride[] = [{ provider: 'openai', model: 'gpt-5.6-sol', input: 4, output: 20, cachedInput: 0.4 }];
    // 1,000 uncached × $4/M   = 4,000,000 nano
    // 500 cached     × $0.40/M =   200,000 nano
    // 100 output     × $20/M  = 2,000,000 nano
    //                   total = 6,200,000 nano
    const u = usage({ uncached: 1_000, cached: 500, output: 100 });
    assert.equal(computeCost('openai', 'gpt-5.6-sol', u, noOverrides).unpriced, true);
    assert.equal(computeCost('openai', 'gpt-5.6-sol', u, overrides).costNanoUsd, 6_200_000);
    assert.equal(computeCost('openai', 'gpt-5.6-sol-2026-07-09', u, overrides).costNanoUsd, 6_200_000);
  });

  it('replaces a table price whole, long-context tier included', () => {
    // A negotiated rate without cache prices: every input token at $2.40/M, output at $12/M.
    const overrides: ModelPriceOverride[] = [{ provider: 'anthropic', model: 'claude-sonnet-4-5', input: 2.4, output: 12 }];
    // (1,000 uncached + 500 cache reads) × $2.40/M = 3,600,000 nano; 100 × $12/M = 1,200,000 nano
    const small = computeCost('anthropic', 'claude-sonnet-4-5-20250929', usage({ uncached: 1_000, cached: 500, output: 100 }), overrides);
    assert.equal(small.costNanoUsd, 4_800_000);
    // 300,000 × $2.40/M = 720,000,000 nano (no 200K surcharge in the override); 1,000 × $12/M = 12,000,000 nano
    const long = computeCost('anthropic', 'claude-sonnet-4-5', usage({ uncached: 300_000, output: 1_000 }), overrides);
    assert.equal(long.costNanoUsd, 732_000_000);
  });

  it('bills 1-hour cache writes at the 5-minute rate when the override gives only that', () => {
    const overrides: ModelPriceOverride[] = [{ provider: 'anthropic', model: 'claude-next', input: 1, output: 5, cacheWrite: 1.25 }];
    // 100 uncached × $1/M = 100,000 nano; (300 5m + 200 1h) × $1.25/M = 625,000 nano
    const cost = computeCost('anthropic', 'claude-next', usage({ uncached: 100, cacheWrite5m: 300, cacheWrite1h: 200 }), overrides);
    assert.equal(cost.costNanoUsd, 725_000);
  });

  it('rounds once, on the total, half up to the nano-dollar', () => {
    // $0.0015/M is 1,500 pico-dollars a token. 3 tokens = 4,500 pico = 4.5 nano → 5 nano.
    // Rounding each token (2 nano) would have said 6.
    const overrides: ModelPriceOverride[] = [{ provider: 'openai', model: 'tiny', input: 0.0015, output: 0 }];
    assert.equal(computeCost('openai', 'tiny', usage({ uncached: 3 }), overrides).costNanoUsd, 5);
    assert.equal(computeCost('openai', 'tiny', usage({ uncached: 1 }), overrides).costNanoUsd, 2);
  });
});

describe('computeCost: implausible usage', () => {
  it('throws instead of pricing counts no provider reports', () => {
    const valid = usage({ uncached: 10, cached: 5, cacheWrite5m: 2, output: 1 });
    const invalid: Array<[string, TokenUsage]> = [
      ['negative', { ...valid, completionTokens: -1 }],
      ['fractional', { ...valid, promptTokens: 17.5 }],
      ['NaN', { ...valid, cachedTokens: Number.NaN }],
      ['more 1h writes than writes', { ...valid, cacheWrite1hTokens: 3 }],
      ['cache tokens outside promptTokens', { ...valid, promptTokens: 6 }],
    ];
    for (const [label, u] of invalid) {
      assert.throws(() => computeCost('openai', 'gpt-4o', u, noOverrides), RangeError, label);
    }
  });
});

describe('nanoUsdToUsd', () => {
  it('turns nano-dollars into USD for the API edge and keeps unpriced as null', () => {
    assert.equal(nanoUsdToUsd(5_500_000), 0.0055);
    assert.equal(nanoUsdToUsd(1_275_000_000), 1.275);
    assert.equal(nanoUsdToUsd(0), 0);
    assert.equal(nanoUsdToUsd(null), null);
  });
});
