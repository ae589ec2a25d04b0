import { parseJsonObject } from '../../usage/provider-json.js';
import type { SseEvent } from '../../usage/sse-parser.js';
import type { StreamUsageReader, UsageResult } from '../../usage/stream-usage-reader.js';
import type { TokenUsage } from '../../usage/token-usage.js';
import { tokenUsageFromOpenAiUsage } from './chat-completions-usage.js';

/**
 * Chat Completions chunks: the model is on every chunk, usage on the one chunk that carries it
 * (the `include_usage` chunk, or the last content chunk for some compatible providers).
 */
export class ChatStreamUsageReader implements StreamUsageReader {
  private usage: TokenUsage | null = null;
  private model: string | null = null;
  sawFinalEvent = false;

  observe(event: SseEvent): void {
    if (event.data === '[DONE]') {
      this.sawFinalEvent = true;
      return;
    }
    // Only the first chunk (for the model) and chunks with a usage object are worth parsing.
    if (this.model !== null && !/"usage"\s*:\s*\{/.test(event.data)) return;
    const chunk = parseJsonObject(event.data);
    if (!chunk) return;
    if (typeof chunk.model === 'string' && chunk.model !== '') this.model = chunk.model;
    this.usage = tokenUsageFromOpenAiUsage(chunk.usage) ?? this.usage;
  }

  result(): UsageResult {
    return { usage: this.usage, model: this.model };
  }
}
