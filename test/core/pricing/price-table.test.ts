import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findModelPrice } from '../../../lambdas/core/pricing/compute-cost.js';
import { MODEL_PRICES, PRICES_AS_OF, type UsdPerMillionTokens } from '../../../lambdas/core/pricing/price-table.js';

const PRICE_FIELDS = ['input', 'output', 'cachedInput', 'cacheWrite', 'cacheWrite1h'] as const;

function pricesOf(rates: UsdPerMillionTokens): number[] {
  return PRICE_FIELDS.flatMap((field) => (rates[field] === undefined ? [] : [rates[field]]));
}

describe('price table', () => {
  it('is dated', () => {
    assert.match(PRICES_AS_OF, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(new Date(`${PRICES_AS_OF}T00:00:00Z`).toISOString().slice(0, 10), PRICES_AS_OF);
  });

  it('prices at least 40 models across both providers', () => {
    assert.ok(MODEL_PRICES.length >= 40, `only ${MODEL_PRICES.length} models`);
    assert.ok(MODEL_PRICES.filter((e) => e.provider === 'openai').length >= 20);
    assert.ok(MODEL_PRICES.filter((e) => e.provider === 'anthropic').length >= 15);
  });

  it('has no negative or non-finite price, and every price is a whole number of pico-dollars a token', () => {
    for (const entry of MODEL_PRICES) {
      const all = [...pricesOf(entry), ...(entry.longContext ? pricesOf(entry.longContext) : [])];
      for (const price of all) {
        assert.ok(Number.isFinite(price) && price >= 0, `${entry.model}: ${price}`);
        // At most six decimals, so USD/M × 1e6 is an integer and no precision is lost.
        assert.ok(Math.abs(price * 1e6 - Math.round(price * 1e6)) < 1e-6, `${entry.model}: ${price}`);
      }
    }
  });

  it('can reach every row by its own name', () => {
    for (const entry of MODEL_PRICES) {
      for (const name of [entry.model, ...(entry.aliases ?? [])]) {
        assert.equal(findModelPrice(entry.provider, name, [])?.model, entry.model, name);
      }
    }
  });

  it('has cache read and both cache write prices for every Anthropic model, and no cache write for OpenAI', () => {
    for (const entry of MODEL_PRICES) {
      if (entry.provider === 'anthropic') {
        assert.ok(entry.cachedInput !== undefined && entry.cacheWrite !== undefined && entry.cacheWrite1h !== undefined, entry.model);
      } else {
        assert.equal(entry.cacheWrite, undefined, entry.model);
        assert.equal(entry.cacheWrite1h, undefined, entry.model);
      }
    }
  });

  it("follows Anthropic's cache multipliers (5m write 1.25x, 1h write 2x, read 0.1x) except where the page says otherwise", () => {
    // Published exceptions, so a typo elsewhere in the table fails this test.
    const readMultiplier: Record<string, number> = {
      'claude-fable-5-1': 0.025,
      'claude-mythos-5-1': 0.025,
      'claude-opus-5-5': 0.05,
      'claude-sonnet-5-5': 0.05,
      'claude-3-haiku': 0.12, // $0.03 on $0.25
    };
    const writeMultiplier: Record<string, number> = { 'claude-3-haiku': 1.2 }; // $0.30 on $0.25
    const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;
    for (const entry of MODEL_PRICES.filter((e) => e.provider === 'anthropic')) {
      for (const rates of [entry, ...(entry.longContext ? [entry.longContext] : [])]) {
        assert.ok(close(rates.cacheWrite ?? NaN, rates.input * (writeMultiplier[entry.model] ?? 1.25)), `${entry.model} 5m write`);
        assert.ok(close(rates.cacheWrite1h ?? NaN, rates.input * 2), `${entry.model} 1h write`);
        assert.ok(close(rates.cachedInput ?? NaN, rates.input * (readMultiplier[entry.model] ?? 0.1)), `${entry.model} read`);
      }
    }
  });

  it('only ever raises prices in a long-context tier', () => {
    for (const entry of MODEL_PRICES) {
      const tier = entry.longContext;
      if (!tier) continue;
      assert.ok(Number.isSafeInteger(tier.aboveInputTokens) && tier.aboveInputTokens > 0, entry.model);
      assert.ok(tier.input > entry.input && tier.output > entry.output, entry.model);
    }
  });
});
