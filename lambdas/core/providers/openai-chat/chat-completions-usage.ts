import { isJsonObject, reportedCount } from '../../usage/provider-json.js';
import type { TokenUsage } from '../../usage/token-usage.js';

/**
 * OpenAI's `usage` objects → `TokenUsage`. Counts are taken only from what the provider reported;
 * a missing or malformed count is 0, and a usage object without any input or output count is no
 * usage at all (null), so nothing is ever estimated.
 */

/** Usage of a Chat Completions or Embeddings answer (`prompt_tokens`, `completion_tokens`). */
export function tokenUsageFromOpenAiUsage(usage: unknown): TokenUsage | null {
  if (!isJsonObject(usage)) return null;
  const prompt = reportedCount(usage.prompt_tokens);
  const completion = reportedCount(usage.completion_tokens);
  if (prompt === null && completion === null) return null;
  const details = isJsonObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  // DeepSeek reports cache hits in its own field; it is still the provider's count.
  const cached = reportedCount(details.cached_tokens) ?? reportedCount(usage.prompt_cache_hit_tokens);
  return openAiShapedUsage(prompt ?? 0, completion ?? 0, cached ?? 0);
}

/**
 * `TokenUsage` from OpenAI-style counts, whose input already includes cache reads and which
 * report no cache writes (Chat Completions, Embeddings, the Responses API).
 */
export function openAiShapedUsage(promptTokens: number, completionTokens: number, cached: number): TokenUsage {
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
