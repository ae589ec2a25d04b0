import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ModelPriceOverride } from '../../../lambdas/contract/runtime-config-schema.js';
import { LookoutError } from '../../../lambdas/core/lookout-error.js';
import { computeCost } from '../../../lambdas/core/pricing/compute-cost.js';
import { MODEL_PRICES } from '../../../lambdas/core/pricing/price-table.js';
import {
  actualAmount,
  type ReservationRequest,
  unpricedModelError,
  worstCaseAmount,
} from '../../../lambdas/core/quota/reservation-amounts.js';

const config = { prices: [] as ModelPriceOverride[], quotaDefaultMaxOutputTokens: 32_768 };

const openAi = (json: unknown, bodyBytes = 1000): ReservationRequest => ({ provider: 'openai', bodyBytes, json });
const anthropic = (json: unknown, bodyBytes = 1000): ReservationRequest => ({ provider: 'anthropic', bodyBytes, json });

// USD per million tokens × tokens, in nano-USD: the arithmetic a reader can check by hand.
const nanoUsd = (usdPerMillion: number, tokens: number) => Math.round(usdPerMillion * tokens * 1000);

describe('worstCaseAmount', () => {
  it('reserves one request for a request limit, whatever the body', () => {
    assert.equal(worstCaseAmount('requests', openAi(undefined, 0), config), 1);
    assert.equal(worstCaseAmount('requests', openAi({ model: 'gpt-9' }), config), 1);
  });

  describe('tokens', () => {
    it("bounds the prompt by the body's bytes and adds the body's maximum output", () => {
      assert.equal(worstCaseAmount('tokens', openAi({ model: 'gpt-4o', max_tokens: 200 }, 1234), config), 1434);
      assert.equal(worstCaseAmount('tokens', openAi({ model: 'gpt-5', max_completion_tokens: 300 }), config), 1300);
      assert.equal(worstCaseAmount('tokens', openAi({ model: 'gpt-5', max_output_tokens: 400 }), config), 1400);
      assert.equal(worstCaseAmount('tokens', anthropic({ model: 'claude-sonnet-4-5', max_tokens: 500 }), config), 1500);
    });

    it('takes the largest maximum when the body sets several', () => {
      assert.equal(worstCaseAmount('tokens', openAi({ model: 'gpt-4o', max_tokens: 100, max_completion_tokens: 700 }), config), 1700);
    });

    it("falls back to the model's maximum output, then to the configured default", () => {
      assert.equal(worstCaseAmount('tokens', openAi({ model: 'gpt-4o-2024-08-06' }), config), 1000 + 16_384);
      assert.equal(worstCaseAmount('tokens', openAi({ model: 'gpt-9' }), config), 1000 + 32_768);
      assert.equal(worstCaseAmount('tokens', openAi({ model: 'gpt-9' }), { ...config, quotaDefaultMaxOutputTokens: 10 }), 1010);
      assert.equal(worstCaseAmount('tokens', openAi(undefined, 50), config), 50 + 32_768);
      assert.equal(worstCaseAmount('tokens', openAi({ model: 'text-embedding-3-small' }), config), 1000);
    });

    it('ignores a maximum that is not a positive whole number', () => {
      for (const bad of [0, -5, 1.5, '100', null, Number.MAX_VALUE]) {
        assert.equal(worstCaseAmount('tokens', openAi({ model: 'gpt-4o', max_tokens: bad }), config), 1000 + 16_384, String(bad));
      }
    });

    it('reserves the maximum output for each of the n choices asked for', () => {
      assert.equal(worstCaseAmount('tokens', openAi({ model: 'gpt-4o', max_tokens: 100, n: 3 }), config), 1300);
      assert.equal(worstCaseAmount('tokens', openAi({ model: 'gpt-4o', max_tokens: 100, n: 0 }), config), 1100);
    });
  });

  describe('usd', () => {
    it('prices an OpenAI prompt bound at the input rate and the output at the output rate', () => {
      // gpt-4o: $2.50 in, $10 out, no cache write charge.
      assert.equal(
        worstCaseAmount('usd', openAi({ model: 'gpt-4o', max_tokens: 100 }, 1000), config),
        nanoUsd(2.5, 1000) + nanoUsd(10, 100),
      );
    });

    it('prices an Anthropic prompt bound as 1-hour cache writes, the dearest way to send it', () => {
      // claude-sonnet-4-5: $3 in, $6 for 1-hour writes, $15 out.
      assert.equal(
        worstCaseAmount('usd', anthropic({ model: 'claude-sonnet-4-5-20250929', max_tokens: 100 }, 1000), config),
        nanoUsd(6, 1000) + nanoUsd(15, 100),
      );
    });

    it('prices a bound past the long-context threshold at the long-context rates', () => {
      // Sonnet 4.5 above 200K input: 1-hour writes $12, output $22.50.
      assert.equal(
        worstCaseAmount('usd', anthropic({ model: 'claude-sonnet-4-5', max_tokens: 1000 }, 300_000), config),
        nanoUsd(12, 300_000) + nanoUsd(22.5, 1000),
      );
    });

    it("uses the model's maximum output when the body sets none, times its choices", () => {
      assert.equal(worstCaseAmount('usd', openAi({ model: 'gpt-4o', n: 2 }, 1000), config), nanoUsd(2.5, 1000) + nanoUsd(10, 2 * 16_384));
    });

    it('takes the dearest prompt rate of a configured price, whichever it is', () => {
      const prices = [{ provider: 'openai', model: 'house-model', input: 1, output: 2, cachedInput: 4 }];
      assert.equal(
        worstCaseAmount('usd', openAi({ model: 'house-model', max_tokens: 10 }, 1000), { ...config, prices }),
        nanoUsd(4, 1000) + nanoUsd(2, 10),
      );
    });

    it('marks a model without a price, or a body without a model, as unpriced', () => {
      assert.deepEqual(worstCaseAmount('usd', openAi({ model: 'gpt-9', max_tokens: 10 }), config), { unpriced: true, model: 'gpt-9' });
      assert.deepEqual(worstCaseAmount('usd', openAi({ messages: [] }), config), { unpriced: true, model: null });
      assert.deepEqual(worstCaseAmount('usd', { provider: 'groq', bodyBytes: 10, json: { model: 'gpt-4o' } }, config), {
        unpriced: true,
        model: 'gpt-4o',
      });
    });

    it('is never below what the provider can bill a request within the bounds, for any priced model', () => {
      const priced = MODEL_PRICES.map((entry) => ({ provider: entry.provider, model: entry.model }));
      fc.assert(
        fc.property(
          fc.constantFrom(...priced),
          fc.integer({ min: 0, max: 1_500_000 }),
          fc.integer({ min: 1, max: 300_000 }),
          fc.tuple(
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.double({ min: 0, max: 1, noNaN: true }),
          ),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          ({ provider, model }, bodyBytes, maxTokens, [promptShare, cachedShare, writeShare], oneHourShare, outputShare) => {
            // Any usage the bounds allow: some of the prompt bound, split among the four rates.
            const promptTokens = Math.floor(bodyBytes * promptShare);
            const cachedTokens = Math.floor(promptTokens * cachedShare);
            const cacheWriteTokens = Math.floor((promptTokens - cachedTokens) * writeShare);
            const cacheWrite1hTokens = Math.floor(cacheWriteTokens * oneHourShare);
            const completionTokens = Math.floor(maxTokens * outputShare);
            const billed = computeCost(
              provider,
              model,
              {
                promptTokens,
                completionTokens,
                cachedTokens,
                cacheWriteTokens,
                cacheWrite1hTokens,
                totalTokens: promptTokens + completionTokens,
              },
              [],
            );
            const reserved = worstCaseAmount('usd', { provider, bodyBytes, json: { model, max_tokens: maxTokens } }, config);
            assert.equal(typeof reserved, 'number');
            assert.ok(
              (billed.costNanoUsd ?? Number.POSITIVE_INFINITY) <= (reserved as number),
              `${model}: ${billed.costNanoUsd} > ${reserved}`,
            );
          },
        ),
      );
    });
  });
});

describe('actualAmount', () => {
  it('settles one request, whatever the answer', () => {
    assert.equal(actualAmount('requests', { totalTokens: null, costNanoUsd: null }), 1);
    assert.equal(actualAmount('requests', { totalTokens: 500, costNanoUsd: 20 }), 1);
  });

  it('settles the tokens and the cost the log records', () => {
    assert.equal(actualAmount('tokens', { totalTokens: 1234, costNanoUsd: 999 }), 1234);
    assert.equal(actualAmount('usd', { totalTokens: 1234, costNanoUsd: 999 }), 999);
  });

  it('settles 0 for an answer without usage or cost, such as an upstream 500', () => {
    assert.equal(actualAmount('tokens', { totalTokens: null, costNanoUsd: null }), 0);
    assert.equal(actualAmount('usd', { totalTokens: null, costNanoUsd: null }), 0);
  });
});

describe('unpricedModelError', () => {
  it('is a 429 quota_unpriced_model naming the quota and the model', () => {
    const error = unpricedModelError({ kind: 'quota', label: 'free-daily' }, { unpriced: true, model: 'gpt-9' });
    assert.ok(error instanceof LookoutError);
    assert.equal(error.status, 429);
    assert.equal(error.code, 'quota_unpriced_model');
    assert.match(error.message, /^quota free-daily .*model gpt-9, which has no price.*quotaAllowUnpricedModels/);
  });

  it('names a policy as a rate limit, and a body without a model as such', () => {
    const error = unpricedModelError({ kind: 'policy', label: '10;w=60;u=cents' }, { unpriced: true, model: null });
    assert.match(error.message, /^rate limit 10;w=60;u=cents .*names no model/);
  });
});
