import type { TokenUsage } from './token-usage.js';

/**
 * Provider `usage` objects → `TokenUsage`. Counts are taken only from what the provider reported;
 * a missing or malformed count is 0, and a usage object without any input or output count is no
 * usage at all (null), so nothing is ever estimated.
 */

/** Anthropic's usage fields, each the latest non-null value the provider reported. */
export interface AnthropicUsageCounts {
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadInputTokens: number | null;
  cacheCreationInputTokens: number | null;
  cacheCreation1hInputTokens: number | null;
}

/** Anthropic usage before any event or body reported a count. */
export const noAnthropicUsageCounts: Readonly<AnthropicUsageCounts> = Object.freeze({
  inputTokens: null,
  outputTokens: null,
  cacheReadInputTokens: null,
  cacheCreationInputTokens: null,
  cacheCreation1hInputTokens: null,
});

/** Usage of a Chat Completions or Embeddings answer (`prompt_tokens`, `completion_tokens`). */
export function tokenUsageFromOpenAiUsage(usage: unknown): TokenUsage | null {
  if (!isRecord(usage)) return null;
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  if (prompt === null && completion === null) return null;
  const details = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  // DeepSeek reports cache hits in its own field; it is still the provider's count.
  const cached = count(details.cached_tokens) ?? count(usage.prompt_cache_hit_tokens);
  return openAiShapedUsage(prompt ?? 0, completion ?? 0, cached ?? 0);
}

/** Usage of a Responses API answer (`input_tokens`, `output_tokens`, `input_tokens_details`). */
export function tokenUsageFromResponsesUsage(usage: unknown): TokenUsage | null {
  if (!isRecord(usage)) return null;
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  if (input === null && output === null) return null;
  const details = isRecord(usage.input_tokens_details) ? usage.input_tokens_details : {};
  return openAiShapedUsage(input ?? 0, output ?? 0, count(details.cached_tokens) ?? 0);
}

/**
 * Folds one Anthropic `usage` object (a message's, `message_start`'s or `message_delta`'s) into
 * the counts so far: every count is cumulative, so the latest reported value replaces the earlier.
 */
export function mergeAnthropicUsage(counts: AnthropicUsageCounts, usage: unknown): AnthropicUsageCounts {
  if (!isRecord(usage)) return counts;
  const cacheCreation = isRecord(usage.cache_creation) ? usage.cache_creation : {};
  return {
    inputTokens: count(usage.input_tokens) ?? counts.inputTokens,
    outputTokens: count(usage.output_tokens) ?? counts.outputTokens,
    cacheReadInputTokens: count(usage.cache_read_input_tokens) ?? counts.cacheReadInputTokens,
    cacheCreationInputTokens: count(usage.cache_creation_input_tokens) ?? counts.cacheCreationInputTokens,
    cacheCreation1hInputTokens: count(cacheCreation.ephemeral_1h_input_tokens) ?? counts.cacheCreation1hInputTokens,
  };
}

/** `TokenUsage` from Anthropic counts, whose `input_tokens` exclude cache reads and writes. */
export function tokenUsageFromAnthropicCounts(counts: AnthropicUsageCounts): TokenUsage | null {
  if (counts.inputTokens === null && counts.outputTokens === null) return null;
  const cachedTokens = counts.cacheReadInputTokens ?? 0;
  const cacheWriteTokens = counts.cacheCreationInputTokens ?? 0;
  const promptTokens = (counts.inputTokens ?? 0) + cachedTokens + cacheWriteTokens;
  const completionTokens = counts.outputTokens ?? 0;
  return {
    promptTokens,
    completionTokens,
    cachedTokens,
    cacheWriteTokens,
    // The 1h part of the writes can never exceed all writes; a provider slip must not make it so.
    cacheWrite1hTokens: Math.min(counts.cacheCreation1hInputTokens ?? 0, cacheWriteTokens),
    totalTokens: promptTokens + completionTokens,
  };
}

function openAiShapedUsage(promptTokens: number, completionTokens: number, cached: number): TokenUsage {
  return {
    promptTokens,
    completionTokens,
    // OpenAI's input count already includes cache reads; clamping keeps that true for look-alikes.
    cachedTokens: Math.min(cached, promptTokens),
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    totalTokens: promptTokens + completionTokens,
  };
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
