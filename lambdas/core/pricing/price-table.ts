/**
 * List prices of the OpenAI and Anthropic models Lookout prices out of the box, in USD per
 * million tokens exactly as the providers publish them (so a reviewer can compare a row with the
 * provider's page digit by digit). `compute-cost.ts` turns them into integers before any
 * arithmetic. A deployment corrects or extends this table with `prices` in `lookout.config.ts`.
 *
 * Sources (standard tier, no batch / flex / priority / regional uplift):
 * - Anthropic: https://platform.claude.com/docs/en/about-claude/pricing ("Model pricing" and
 *   "Long context pricing") and the model overview pages under
 *   https://platform.claude.com/docs/en/models/. Sonnet 5.5's cache-read cut to $0.10 and Haiku
 *   5.5's prices took effect on 2026-10-07; the rest were unchanged at the 2026-10-24 re-check.
 * - OpenAI: https://developers.openai.com/api/docs/pricing and, for older models that page no
 *   longer lists, their pages under https://developers.openai.com/api/docs/models/. No change to
 *   the rows below was announced between the gpt-5.5 launch (2026-04-23) and 2026-11; the 2026
 *   cuts were to gpt-5.6-*, which is not in this table.
 *
 * Maximum output tokens (`maxOutputTokens`, checked 2026-12-01): Anthropic's model pages under
 * https://platform.claude.com/docs/en/models/ ("Max output"; Opus 4.7 from its Vertex AI and
 * Bedrock model cards; Claude 3.7 Sonnet's 128K is with the `output-128k-2025-02-19` beta, which
 * a request can turn on, so it is the bound). OpenAI: "Max output tokens" on the model pages under
 * https://developers.openai.com/api/docs/models/; for the 2026 models (gpt-5.4*, gpt-5.5*) as AI
 * gateways' catalogs (Vercel AI Gateway, OpenRouter) reproduce them, where gpt-5.5 is 128,000 in
 * all but one, which gives 272,000 (its long-context threshold). Where a row's aliases differ
 * (`gpt-5-chat-latest` 16,384 under `gpt-5` 128,000) the row holds the largest. Models that
 * predate separate output limits (gpt-4, gpt-4-32k, gpt-3.5-turbo-16k) hold their context window,
 * which bounds the output. claude-mythos-5-1 has none: no page states it.
 *
 * Deliberately absent: gpt-5.6-* and gpt-6* (time-limited promotional rates and cache-write
 * charges this table does not model yet) and audio / realtime / image models (billed per modality).
 * They come out unpriced, which is visible, instead of priced wrong, which is not.
 */

/** The day this table was compiled from the sources above (ISO-8601); providers may have changed prices since. */
export const PRICES_AS_OF = '2026-11-27';

/**
 * USD per million tokens. The field names match `ModelPriceOverride` in the runtime config, so an
 * override and a table row read the same way. A missing cache price means the provider has no
 * separate rate for that kind of token, and it is billed as ordinary input.
 */
export interface UsdPerMillionTokens {
  input: number;
  output: number;
  /** Cache reads: OpenAI "cached input", Anthropic "cache hits & refreshes". */
  cachedInput?: number;
  /** Cache writes with the default 5-minute TTL (Anthropic). */
  cacheWrite?: number;
  /** Cache writes with the 1-hour TTL (Anthropic). */
  cacheWrite1h?: number;
}

/**
 * Prices that replace the standard ones for a whole request once its input (every prompt token,
 * cache reads and writes included) goes above `aboveInputTokens`. Providers apply the higher rate
 * to all tokens of such a request, output too, not only to the part above the threshold.
 */
export interface LongContextPrices extends UsdPerMillionTokens {
  aboveInputTokens: number;
}

export interface ModelPriceEntry extends UsdPerMillionTokens {
  provider: 'openai' | 'anthropic';
  /** The family name: what is left of a model id once a date or `-latest` suffix is removed. */
  model: string;
  /** Other exact ids billed at this price that the suffix rule cannot reach (`claude-opus-4-0`). */
  aliases?: readonly string[];
  /**
   * The most output tokens one request can produce (reasoning or thinking tokens included), the
   * largest of the row's names where they differ: a quota reserves this much for a request that
   * sets no maximum, so it must never be below the truth. 0 for embeddings, which produce none.
   * Absent where no source states it.
   */
  maxOutputTokens?: number;
  longContext?: LongContextPrices;
}

// Anthropic Sonnet 4 / 4.5 with the 1M-token window: above 200K input, input and cache prices
// double and output goes up by half. Sonnet 4.6 and later serve 1M tokens at standard rates.
const sonnet4LongContext: LongContextPrices = {
  aboveInputTokens: 200_000,
  input: 6,
  output: 22.5,
  cachedInput: 0.6,
  cacheWrite: 7.5,
  cacheWrite1h: 12,
};

const anthropic: readonly ModelPriceEntry[] = [
  // Fable / Mythos share one price; 5.1 reads the cache at 0.025x input instead of 0.1x.
  {
    provider: 'anthropic',
    model: 'claude-fable-5-1',
    input: 10,
    output: 50,
    cachedInput: 0.25,
    cacheWrite: 12.5,
    cacheWrite1h: 20,
    maxOutputTokens: 128_000,
  },
  { provider: 'anthropic', model: 'claude-mythos-5-1', input: 10, output: 50, cachedInput: 0.25, cacheWrite: 12.5, cacheWrite1h: 20 },
  {
    provider: 'anthropic',
    model: 'claude-fable-5',
    input: 10,
    output: 50,
    cachedInput: 1,
    cacheWrite: 12.5,
    cacheWrite1h: 20,
    maxOutputTokens: 128_000,
  },
  {
    provider: 'anthropic',
    model: 'claude-mythos-5',
    input: 10,
    output: 50,
    cachedInput: 1,
    cacheWrite: 12.5,
    cacheWrite1h: 20,
    maxOutputTokens: 128_000,
  },
  // Opus 5.5 reads the cache at 0.05x input.
  {
    provider: 'anthropic',
    model: 'claude-opus-5-5',
    input: 4,
    output: 20,
    cachedInput: 0.2,
    cacheWrite: 5,
    cacheWrite1h: 8,
    maxOutputTokens: 128_000,
  },
  {
    provider: 'anthropic',
    model: 'claude-opus-5',
    input: 5,
    output: 25,
    cachedInput: 0.5,
    cacheWrite: 6.25,
    cacheWrite1h: 10,
    maxOutputTokens: 128_000,
  },
  {
    provider: 'anthropic',
    model: 'claude-opus-4-8',
    input: 5,
    output: 25,
    cachedInput: 0.5,
    cacheWrite: 6.25,
    cacheWrite1h: 10,
    maxOutputTokens: 128_000,
  },
  {
    provider: 'anthropic',
    model: 'claude-opus-4-7',
    input: 5,
    output: 25,
    cachedInput: 0.5,
    cacheWrite: 6.25,
    cacheWrite1h: 10,
    maxOutputTokens: 128_000,
  },
  {
    provider: 'anthropic',
    model: 'claude-opus-4-6',
    input: 5,
    output: 25,
    cachedInput: 0.5,
    cacheWrite: 6.25,
    cacheWrite1h: 10,
    maxOutputTokens: 128_000,
  },
  {
    provider: 'anthropic',
    model: 'claude-opus-4-5',
    input: 5,
    output: 25,
    cachedInput: 0.5,
    cacheWrite: 6.25,
    cacheWrite1h: 10,
    maxOutputTokens: 64_000,
  },
  {
    provider: 'anthropic',
    model: 'claude-opus-4-1',
    input: 15,
    output: 75,
    cachedInput: 1.5,
    cacheWrite: 18.75,
    cacheWrite1h: 30,
    maxOutputTokens: 32_000,
  },
  {
    provider: 'anthropic',
    model: 'claude-opus-4',
    aliases: ['claude-opus-4-0'],
    input: 15,
    output: 75,
    cachedInput: 1.5,
    cacheWrite: 18.75,
    cacheWrite1h: 30,
    maxOutputTokens: 32_000,
  },
  // Sonnet 5.5 reads the cache at 0.05x input since 2026-10-07 (it was 0.1x, like Sonnet 5).
  {
    provider: 'anthropic',
    model: 'claude-sonnet-5-5',
    input: 2,
    output: 10,
    cachedInput: 0.1,
    cacheWrite: 2.5,
    cacheWrite1h: 4,
    maxOutputTokens: 128_000,
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-5',
    input: 2,
    output: 10,
    cachedInput: 0.2,
    cacheWrite: 2.5,
    cacheWrite1h: 4,
    maxOutputTokens: 128_000,
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-6',
    input: 3,
    output: 15,
    cachedInput: 0.3,
    cacheWrite: 3.75,
    cacheWrite1h: 6,
    maxOutputTokens: 128_000,
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    input: 3,
    output: 15,
    cachedInput: 0.3,
    cacheWrite: 3.75,
    cacheWrite1h: 6,
    maxOutputTokens: 64_000,
    longContext: sonnet4LongContext,
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4',
    aliases: ['claude-sonnet-4-0'],
    input: 3,
    output: 15,
    cachedInput: 0.3,
    cacheWrite: 3.75,
    cacheWrite1h: 6,
    maxOutputTokens: 64_000,
    longContext: sonnet4LongContext,
  },
  {
    provider: 'anthropic',
    model: 'claude-3-7-sonnet',
    input: 3,
    output: 15,
    cachedInput: 0.3,
    cacheWrite: 3.75,
    cacheWrite1h: 6,
    maxOutputTokens: 128_000,
  },
  {
    provider: 'anthropic',
    model: 'claude-3-5-sonnet',
    input: 3,
    output: 15,
    cachedInput: 0.3,
    cacheWrite: 3.75,
    cacheWrite1h: 6,
    maxOutputTokens: 8192,
  },
  // Haiku 5.5 is priced by prompt length: above 100K input tokens every rate is five times higher.
  {
    provider: 'anthropic',
    model: 'claude-haiku-5-5',
    input: 0.1,
    output: 0.5,
    cachedInput: 0.01,
    cacheWrite: 0.125,
    cacheWrite1h: 0.2,
    maxOutputTokens: 128_000,
    longContext: { aboveInputTokens: 100_000, input: 0.5, output: 2.5, cachedInput: 0.05, cacheWrite: 0.625, cacheWrite1h: 1 },
  },
  {
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    input: 1,
    output: 5,
    cachedInput: 0.1,
    cacheWrite: 1.25,
    cacheWrite1h: 2,
    maxOutputTokens: 64_000,
  },
  {
    provider: 'anthropic',
    model: 'claude-3-5-haiku',
    input: 0.8,
    output: 4,
    cachedInput: 0.08,
    cacheWrite: 1,
    cacheWrite1h: 1.6,
    maxOutputTokens: 8192,
  },
  {
    provider: 'anthropic',
    model: 'claude-3-opus',
    input: 15,
    output: 75,
    cachedInput: 1.5,
    cacheWrite: 18.75,
    cacheWrite1h: 30,
    maxOutputTokens: 4096,
  },
  // Haiku 3 predates the 1.25x / 0.1x cache multipliers: $0.30 writes, $0.03 reads.
  {
    provider: 'anthropic',
    model: 'claude-3-haiku',
    input: 0.25,
    output: 1.25,
    cachedInput: 0.03,
    cacheWrite: 0.3,
    cacheWrite1h: 0.5,
    maxOutputTokens: 4096,
  },
];

// OpenAI's 1.05M-window models: above 272K input, the whole request pays 2x input (cached input
// included) and 1.5x output.
function openAiLongContext(input: number, output: number, cachedInput?: number): LongContextPrices {
  return {
    aboveInputTokens: 272_000,
    input: input * 2,
    output: output * 1.5,
    ...(cachedInput === undefined ? {} : { cachedInput: cachedInput * 2 }),
  };
}

// OpenAI charges nothing extra to write its prompt cache, so no row has cacheWrite. Rows without
// cachedInput (the pro models, pre-caching snapshots) get no discount for cached tokens.
const openai: readonly ModelPriceEntry[] = [
  {
    provider: 'openai',
    model: 'gpt-5.5',
    input: 5,
    output: 30,
    cachedInput: 0.5,
    maxOutputTokens: 128_000,
    longContext: openAiLongContext(5, 30, 0.5),
  },
  { provider: 'openai', model: 'gpt-5.5-pro', input: 30, output: 180, maxOutputTokens: 128_000, longContext: openAiLongContext(30, 180) },
  {
    provider: 'openai',
    model: 'gpt-5.4',
    input: 2.5,
    output: 15,
    cachedInput: 0.25,
    maxOutputTokens: 128_000,
    longContext: openAiLongContext(2.5, 15, 0.25),
  },
  { provider: 'openai', model: 'gpt-5.4-pro', input: 30, output: 180, maxOutputTokens: 128_000, longContext: openAiLongContext(30, 180) },
  { provider: 'openai', model: 'gpt-5.4-mini', input: 0.75, output: 4.5, cachedInput: 0.075, maxOutputTokens: 128_000 },
  { provider: 'openai', model: 'gpt-5.4-nano', input: 0.2, output: 1.25, cachedInput: 0.02, maxOutputTokens: 128_000 },
  {
    provider: 'openai',
    model: 'gpt-5.2',
    aliases: ['gpt-5.2-chat-latest', 'gpt-5.2-codex'],
    input: 1.75,
    output: 14,
    cachedInput: 0.175,
    maxOutputTokens: 128_000,
  },
  { provider: 'openai', model: 'gpt-5.2-pro', input: 21, output: 168, maxOutputTokens: 128_000 },
  {
    provider: 'openai',
    model: 'gpt-5.1',
    aliases: ['gpt-5.1-chat-latest', 'gpt-5.1-codex', 'gpt-5.1-codex-max'],
    input: 1.25,
    output: 10,
    cachedInput: 0.125,
    maxOutputTokens: 128_000,
  },
  { provider: 'openai', model: 'gpt-5.1-codex-mini', input: 0.25, output: 2, cachedInput: 0.025, maxOutputTokens: 128_000 },
  {
    provider: 'openai',
    model: 'gpt-5',
    aliases: ['gpt-5-chat-latest', 'gpt-5-codex'],
    input: 1.25,
    output: 10,
    cachedInput: 0.125,
    maxOutputTokens: 128_000,
  },
  { provider: 'openai', model: 'gpt-5-pro', input: 15, output: 120, maxOutputTokens: 272_000 },
  { provider: 'openai', model: 'gpt-5-mini', input: 0.25, output: 2, cachedInput: 0.025, maxOutputTokens: 128_000 },
  { provider: 'openai', model: 'gpt-5-nano', input: 0.05, output: 0.4, cachedInput: 0.005, maxOutputTokens: 128_000 },
  { provider: 'openai', model: 'gpt-4.1', input: 2, output: 8, cachedInput: 0.5, maxOutputTokens: 32_768 },
  { provider: 'openai', model: 'gpt-4.1-mini', input: 0.4, output: 1.6, cachedInput: 0.1, maxOutputTokens: 32_768 },
  { provider: 'openai', model: 'gpt-4.1-nano', input: 0.1, output: 0.4, cachedInput: 0.025, maxOutputTokens: 32_768 },
  { provider: 'openai', model: 'gpt-4o', input: 2.5, output: 10, cachedInput: 1.25, maxOutputTokens: 16_384 },
  // The first gpt-4o snapshot kept its launch price and never had a cache discount.
  { provider: 'openai', model: 'gpt-4o-2024-05-13', input: 5, output: 15, maxOutputTokens: 4096 },
  { provider: 'openai', model: 'gpt-4o-mini', input: 0.15, output: 0.6, cachedInput: 0.075, maxOutputTokens: 16_384 },
  { provider: 'openai', model: 'o1', aliases: ['o1-preview'], input: 15, output: 60, cachedInput: 7.5, maxOutputTokens: 100_000 },
  { provider: 'openai', model: 'o1-mini', input: 1.1, output: 4.4, cachedInput: 0.55, maxOutputTokens: 65_536 },
  { provider: 'openai', model: 'o1-pro', input: 150, output: 600, maxOutputTokens: 100_000 },
  // o3's price was cut by 80% on 2025-06-10; this is the price since.
  { provider: 'openai', model: 'o3', input: 2, output: 8, cachedInput: 0.5, maxOutputTokens: 100_000 },
  { provider: 'openai', model: 'o3-pro', input: 20, output: 80, maxOutputTokens: 100_000 },
  { provider: 'openai', model: 'o3-mini', input: 1.1, output: 4.4, cachedInput: 0.55, maxOutputTokens: 100_000 },
  { provider: 'openai', model: 'o3-deep-research', input: 10, output: 40, cachedInput: 2.5, maxOutputTokens: 100_000 },
  { provider: 'openai', model: 'o4-mini', input: 1.1, output: 4.4, cachedInput: 0.275, maxOutputTokens: 100_000 },
  { provider: 'openai', model: 'o4-mini-deep-research', input: 2, output: 8, cachedInput: 0.5, maxOutputTokens: 100_000 },
  // Embeddings bill input only; they produce no output tokens.
  { provider: 'openai', model: 'text-embedding-3-small', input: 0.02, output: 0, maxOutputTokens: 0 },
  { provider: 'openai', model: 'text-embedding-3-large', input: 0.13, output: 0, maxOutputTokens: 0 },
  { provider: 'openai', model: 'text-embedding-ada-002', input: 0.1, output: 0, maxOutputTokens: 0 },
  {
    provider: 'openai',
    model: 'gpt-4-turbo',
    aliases: ['gpt-4-turbo-preview', 'gpt-4-0125-preview', 'gpt-4-1106-preview', 'gpt-4-vision-preview'],
    input: 10,
    output: 30,
    maxOutputTokens: 4096,
  },
  { provider: 'openai', model: 'gpt-4', input: 30, output: 60, maxOutputTokens: 8192 },
  { provider: 'openai', model: 'gpt-4-32k', input: 60, output: 120, maxOutputTokens: 32_768 },
  { provider: 'openai', model: 'gpt-3.5-turbo', input: 0.5, output: 1.5, maxOutputTokens: 4096 },
  // Older gpt-3.5-turbo snapshots kept their own, higher prices: exact rows beat the family.
  { provider: 'openai', model: 'gpt-3.5-turbo-1106', input: 1, output: 2, maxOutputTokens: 4096 },
  { provider: 'openai', model: 'gpt-3.5-turbo-0613', input: 1.5, output: 2, maxOutputTokens: 4096 },
  { provider: 'openai', model: 'gpt-3.5-turbo-0301', input: 1.5, output: 2, maxOutputTokens: 4096 },
  { provider: 'openai', model: 'gpt-3.5-turbo-16k', input: 3, output: 4, maxOutputTokens: 16_385 },
];

/** Every priced model, OpenAI first; order carries no meaning, names are unique per provider. */
export const MODEL_PRICES: readonly ModelPriceEntry[] = [...openai, ...anthropic];
