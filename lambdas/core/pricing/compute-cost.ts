import type { ModelPriceOverride } from '../../contract/runtime-config-schema.js';
import type { TokenUsage } from '../usage/token-usage.js';
import { normaliseModelId, priceLookupNames } from './model-matching.js';
import { MODEL_PRICES, type UsdPerMillionTokens } from './price-table.js';

/**
 * Prices of one kind of token in integer pico-dollars (1e-12 USD) per token, which is USD per
 * million tokens × 1e6. Every published price has at most six decimals, so this unit holds all of
 * them exactly and a request's cost is a sum of integer products with no rounding until the end.
 */
export interface PicoUsdPerToken {
  input: bigint;
  output: bigint;
  cachedInput: bigint;
  cacheWrite: bigint;
  cacheWrite1h: bigint;
}

/** The price a request will be billed at, after matching its model id. */
export interface ModelPrice {
  provider: string;
  /** The name the price is filed under: the exact id or the family it was matched to. */
  model: string;
  source: 'config' | 'table';
  standard: PicoUsdPerToken;
  longContext?: { aboveInputTokens: number; prices: PicoUsdPerToken };
}

/** Cost of one request: integer nano-dollars, or null when the model has no known price. */
export type RequestCost = { costNanoUsd: number; unpriced: false } | { costNanoUsd: null; unpriced: true };

const UNPRICED: RequestCost = Object.freeze({ costNanoUsd: null, unpriced: true });
const PICO_PER_NANO = 1000n;

const tablePrices: ReadonlyMap<string, ModelPrice> = indexTable();
// Config is parsed once per cold start and the same (never mutated) array is passed on every
// request, so its index is built once per array rather than once per request.
const overrideIndexes = new WeakMap<readonly ModelPriceOverride[], ReadonlyMap<string, ModelPrice>>();

/** Finds the price of a model: exact id, then family; at each name config beats the table. */
export function findModelPrice(provider: string, model: string, overrides: readonly ModelPriceOverride[]): ModelPrice | null {
  // Most specific name first, so a snapshot with its own price (gpt-4o-2024-05-13) is not billed
  // as its family even when config overrides the family.
  const configPrices = indexOverrides(overrides);
  for (const name of priceLookupNames(provider, model)) {
    const key = priceKey(provider, name);
    const price = configPrices.get(key) ?? tablePrices.get(key);
    if (price) return price;
  }
  return null;
}

/** Computes a request's cost in integer nano-dollars, or unpriced (null, never 0) for an unknown model. */
export function computeCost(provider: string, model: string, usage: TokenUsage, overrides: readonly ModelPriceOverride[]): RequestCost {
  // Token counts no provider could report are a bug upstream; a RangeError surfaces it, where a
  // price computed from them would be wrong without anyone noticing.
  assertPlausibleUsage(usage);
  const price = findModelPrice(provider, model, overrides);
  // 0 would read as "free" in every sum and chart; null keeps the gap visible.
  if (!price) return UNPRICED;

  // The long-context tier is chosen by all input tokens, cache reads and writes included, and
  // then applies to every token of the request, output too.
  const tier = price.longContext && usage.promptTokens > price.longContext.aboveInputTokens ? price.longContext.prices : price.standard;

  const uncachedInput = usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens;
  const cacheWrite5m = usage.cacheWriteTokens - usage.cacheWrite1hTokens;
  const costPicoUsd =
    BigInt(uncachedInput) * tier.input +
    BigInt(usage.cachedTokens) * tier.cachedInput +
    BigInt(cacheWrite5m) * tier.cacheWrite +
    BigInt(usage.cacheWrite1hTokens) * tier.cacheWrite1h +
    BigInt(usage.completionTokens) * tier.output;

  // The only rounding: half up, once, on the total.
  const costNanoUsd = (costPicoUsd + PICO_PER_NANO / 2n) / PICO_PER_NANO;
  if (costNanoUsd > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`cost of ${model} exceeds what an integer number of nano-dollars can hold`);
  }
  return { costNanoUsd: Number(costNanoUsd), unpriced: false };
}

/** Converts integer nano-dollars to a USD number, for the API edge only (never for arithmetic). */
export function nanoUsdToUsd(nanoUsd: number): number;
export function nanoUsdToUsd(nanoUsd: number | null): number | null;
export function nanoUsdToUsd(nanoUsd: number | null): number | null {
  return nanoUsd === null ? null : nanoUsd / 1e9;
}

/** Converts a USD-per-million-tokens price to integer pico-dollars per token. */
export function usdPerMillionToPicoUsd(usdPerMillionTokens: number): bigint {
  // Exact for prices with up to six decimals (all published ones); a finer price from config is
  // rounded to the nearest pico-dollar, a billionth of a cent.
  if (!Number.isFinite(usdPerMillionTokens) || usdPerMillionTokens < 0) {
    throw new RangeError(`a token price must be a non-negative number of USD, got ${usdPerMillionTokens}`);
  }
  // A six-decimal number × 1e6 lands within a rounding error of an integer.
  return BigInt(Math.round(usdPerMillionTokens * 1e6));
}

// A price without a cache rate bills those tokens as plain input: that is what the provider does
// when it has no discount (OpenAI pro models) or no write surcharge (all OpenAI models). A 1-hour
// write with no 1-hour rate falls back to the 5-minute write rate, the closer of the two.
function picoPrices(prices: UsdPerMillionTokens): PicoUsdPerToken {
  const input = usdPerMillionToPicoUsd(prices.input);
  const cacheWrite = prices.cacheWrite === undefined ? input : usdPerMillionToPicoUsd(prices.cacheWrite);
  return {
    input,
    output: usdPerMillionToPicoUsd(prices.output),
    cachedInput: prices.cachedInput === undefined ? input : usdPerMillionToPicoUsd(prices.cachedInput),
    cacheWrite,
    cacheWrite1h: prices.cacheWrite1h === undefined ? cacheWrite : usdPerMillionToPicoUsd(prices.cacheWrite1h),
  };
}

// Provider names are gateway route names (`openai`, `anthropic`); a newline cannot occur in either.
function priceKey(provider: string, modelName: string): string {
  return `${provider.trim().toLowerCase()}\n${modelName}`;
}

function indexTable(): ReadonlyMap<string, ModelPrice> {
  const index = new Map<string, ModelPrice>();
  for (const entry of MODEL_PRICES) {
    const price: ModelPrice = {
      provider: entry.provider,
      model: entry.model,
      source: 'table',
      standard: picoPrices(entry),
      ...(entry.longContext && {
        longContext: { aboveInputTokens: entry.longContext.aboveInputTokens, prices: picoPrices(entry.longContext) },
      }),
    };
    for (const name of [entry.model, ...(entry.aliases ?? [])]) {
      const key = priceKey(entry.provider, name);
      // Two rows under one name would make the price depend on table order.
      if (index.has(key)) throw new Error(`price table lists ${entry.provider} ${name} twice`);
      index.set(key, price);
    }
  }
  return index;
}

// Overrides replace a table row whole, long-context tier included: config states the price a
// deployment is billed, and mixing it with list prices would produce a price nobody agreed to.
// When config lists a model twice, the later entry wins.
function indexOverrides(overrides: readonly ModelPriceOverride[]): ReadonlyMap<string, ModelPrice> {
  const cached = overrideIndexes.get(overrides);
  if (cached) return cached;
  const index = new Map<string, ModelPrice>();
  for (const override of overrides) {
    const model = normaliseModelId(override.provider, override.model);
    index.set(priceKey(override.provider, model), {
      provider: override.provider,
      model,
      source: 'config',
      standard: picoPrices(override),
    });
  }
  overrideIndexes.set(overrides, index);
  return index;
}

function assertPlausibleUsage(usage: TokenUsage): void {
  const counts = {
    promptTokens: usage.promptTokens,
    completionTokens: usage.completionTokens,
    cachedTokens: usage.cachedTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    cacheWrite1hTokens: usage.cacheWrite1hTokens,
  };
  for (const [field, value] of Object.entries(counts)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`TokenUsage.${field} must be a non-negative integer, got ${value}`);
    }
  }
  if (usage.cacheWrite1hTokens > usage.cacheWriteTokens) {
    throw new RangeError('TokenUsage.cacheWrite1hTokens is part of cacheWriteTokens and cannot exceed it');
  }
  if (usage.cachedTokens + usage.cacheWriteTokens > usage.promptTokens) {
    throw new RangeError('TokenUsage.promptTokens must include cachedTokens and cacheWriteTokens');
  }
}
