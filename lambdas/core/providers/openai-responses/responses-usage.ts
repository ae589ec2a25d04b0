import { isJsonObject, reportedCount } from '../../usage/provider-json.js';
import type { TokenUsage } from '../../usage/token-usage.js';
import { openAiShapedUsage } from '../openai-chat/chat-completions-usage.js';

/**
 * Usage of a Responses API answer (`input_tokens`, `output_tokens`, `input_tokens_details`),
 * counted as Chat Completions' is; null without an input or output count (nothing is estimated).
 */
export function tokenUsageFromResponsesUsage(usage: unknown): TokenUsage | null {
  if (!isJsonObject(usage)) return null;
  const input = reportedCount(usage.input_tokens);
  const output = reportedCount(usage.output_tokens);
  if (input === null && output === null) return null;
  const details = isJsonObject(usage.input_tokens_details) ? usage.input_tokens_details : {};
  return openAiShapedUsage(input ?? 0, output ?? 0, reportedCount(details.cached_tokens) ?? 0);
}
