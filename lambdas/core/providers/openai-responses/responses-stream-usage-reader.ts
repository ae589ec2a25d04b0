import { parseJsonObject } from '../../usage/provider-json.js';
import type { SseEvent } from '../../usage/sse-parser.js';
import { isWantedEvent, type StreamUsageReader, type UsageResult } from '../../usage/stream-usage-reader.js';
import type { TokenUsage } from '../../usage/token-usage.js';
import { tokenUsageFromResponsesUsage } from './responses-usage.js';

const RESPONSES_EVENTS_WITH_RESPONSE = new Set(['response.created', 'response.completed', 'response.incomplete', 'response.failed']);

/**
 * Responses API events: usage arrives with the final `response.completed` (or `.incomplete`,
 * `.failed`, which are billed too); `response.created` already names the model.
 */
export class ResponsesStreamUsageReader implements StreamUsageReader {
  private usage: TokenUsage | null = null;
  private model: string | null = null;
  sawFinalEvent = false;

  observe(event: SseEvent): void {
    if (!isWantedEvent(event, RESPONSES_EVENTS_WITH_RESPONSE, /"type"\s*:\s*"response\.(created|completed|incomplete|failed)"/)) {
      return;
    }
    const payload = parseJsonObject(event.data);
    if (!payload || typeof payload.type !== 'string' || !RESPONSES_EVENTS_WITH_RESPONSE.has(payload.type)) return;
    const response = payload.response;
    if (payload.type !== 'response.created') this.sawFinalEvent = true;
    if (typeof response !== 'object' || response === null) return;
    const { model, usage } = response as Record<string, unknown>;
    if (typeof model === 'string' && model !== '') this.model = model;
    this.usage = tokenUsageFromResponsesUsage(usage) ?? this.usage;
  }

  result(): UsageResult {
    return { usage: this.usage, model: this.model };
  }
}
