/**
 * Token counts of one request, normalised across providers.
 * `promptTokens` counts every input token, including cache reads (`cachedTokens`) and cache
 * writes (`cacheWriteTokens`), so OpenAI's and Anthropic's numbers mean the same thing here.
 */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** Input tokens served from the provider's prompt cache (billed at the cached-input price). */
  cachedTokens: number;
  /** Input tokens written to the provider's prompt cache (Anthropic), all TTLs together. */
  cacheWriteTokens: number;
  /** The part of `cacheWriteTokens` written with a one-hour TTL (billed higher than 5 minutes). */
  cacheWrite1hTokens: number;
  totalTokens: number;
}
