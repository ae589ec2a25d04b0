import { parseJsonObject } from '../../usage/provider-json.js';
import type { SseEvent } from '../../usage/sse-parser.js';
import { isWantedEvent, type StreamUsageReader, type UsageResult } from '../../usage/stream-usage-reader.js';
import {
  mergeAnthropicUsage,
  noAnthropicUsageCounts,
  tokenUsageFromAnthropicCounts,
  type AnthropicUsageCounts,
} from './anthropic-usage.js';

const ANTHROPIC_EVENTS_WITH_USAGE = new Set(['message_start', 'message_delta']);

/**
 * Anthropic Messages events: `message_start` reports the input side (and a first output count),
 * each `message_delta` the cumulative output, and newer API versions repeat the input side there.
 */
export class AnthropicStreamUsageReader implements StreamUsageReader {
  private counts: AnthropicUsageCounts = noAnthropicUsageCounts;
  private model: string | null = null;
  sawFinalEvent = false;

  observe(event: SseEvent): void {
    if (event.type === 'message_stop' || (event.type === 'message' && /"type"\s*:\s*"message_stop"/.test(event.data))) {
      this.sawFinalEvent = true;
      return;
    }
    if (!isWantedEvent(event, ANTHROPIC_EVENTS_WITH_USAGE, /"type"\s*:\s*"message_(start|delta)"/)) return;
    const payload = parseJsonObject(event.data);
    if (!payload) return;
    if (payload.type === 'message_start') {
      const message = payload.message;
      if (typeof message !== 'object' || message === null) return;
      const { model, usage } = message as Record<string, unknown>;
      if (typeof model === 'string' && model !== '') this.model = model;
      this.counts = mergeAnthropicUsage(this.counts, usage);
    } else if (payload.type === 'message_delta') {
      this.counts = mergeAnthropicUsage(this.counts, payload.usage);
    }
  }

  result(): UsageResult {
    return { usage: tokenUsageFromAnthropicCounts(this.counts), model: this.model };
  }
}
