import { isJsonObject, reportedCount } from '../../usage/provider-json.js';
import type { TokenUsage } from '../../usage/token-usage.js';

/**
 * Anthropic's `usage` objects → `TokenUsage`. Counts are taken only from what the provider
 * reported; a missing or malformed count is 0, and counts without any input or output count are
 * no usage at all (null), so nothing is ever estimated.
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

/**
 * Folds one Anthropic `usage` object (a message's, `message_start`'s or `message_delta`'s) into
 * the counts so far: every count is cumulative, so the latest reported value replaces the earlier.
 */
export function mergeAnthropicUsage(counts: AnthropicUsageCounts, usage: unknown): AnthropicUsageCounts {
  if (!isJsonObject(usage)) return counts;
  const cacheCreation = isJsonObject(usage.cache_creation) ? usage.cache_creation : {};
  return {
    inputTokens: reportedCount(usage.input_tokens) ?? counts.inputTokens,
    outputTokens: reportedCount(usage.output_tokens) ?? counts.outputTokens,
    cacheReadInputTokens: reportedCount(usage.cache_read_input_tokens) ?? counts.cacheReadInputTokens,
    cacheCreationInputTokens: reportedCount(usage.cache_creation_input_tokens) ?? counts.cacheCreationInputTokens,
    cacheCreation1hInputTokens: reportedCount(cacheCreation.ephemeral_1h_input_tokens) ?? counts.cacheCreation1hInputTokens,
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

/** `TokenUsage` from the `usage` member of a buffered message. */
export function tokenUsageFromAnthropicUsage(usage: unknown): TokenUsage | null {
  return tokenUsageFromAnthropicCounts(mergeAnthropicUsage(noAnthropicUsageCounts, usage));
}
