import type { SseEvent } from './sse-parser.js';
import {
  mergeAnthropicUsage,
  noAnthropicUsageCounts,
  tokenUsageFromAnthropicCounts,
  tokenUsageFromOpenAiUsage,
  tokenUsageFromResponsesUsage,
  type AnthropicUsageCounts,
} from './provider-usage.js';
import type { TokenUsage } from './token-usage.js';

/** What a provider reported about one request: its token usage and the model that answered. */
export interface UsageResult {
  /** Null when the provider reported no usage (or not yet, for a stream cut short). */
  usage: TokenUsage | null;
  /** The model the provider says answered, which may be a dated snapshot of the one requested. */
  model: string | null;
}

/** Reads usage out of the events of one provider stream; `result` is valid after any event. */
export interface StreamUsageReader {
  observe(event: SseEvent): void;
  result(): UsageResult;
}

/**
 * Chat Completions chunks: the model is on every chunk, usage on the one chunk that carries it
 * (the `include_usage` chunk, or the last content chunk for some compatible providers).
 */
export class ChatStreamUsageReader implements StreamUsageReader {
  private usage: TokenUsage | null = null;
  private model: string | null = null;

  observe(event: SseEvent): void {
    // Only the first chunk (for the model) and chunks with a usage object are worth parsing.
    if (this.model !== null && !/"usage"\s*:\s*\{/.test(event.data)) return;
    if (event.data === '[DONE]') return;
    const chunk = parseJsonObject(event.data);
    if (!chunk) return;
    if (typeof chunk.model === 'string' && chunk.model !== '') this.model = chunk.model;
    this.usage = tokenUsageFromOpenAiUsage(chunk.usage) ?? this.usage;
  }

  result(): UsageResult {
    return { usage: this.usage, model: this.model };
  }
}

const RESPONSES_EVENTS_WITH_RESPONSE = new Set([
  'response.created',
  'response.completed',
  'response.incomplete',
  'response.failed',
]);

/**
 * Responses API events: usage arrives with the final `response.completed` (or `.incomplete`,
 * `.failed`, which are billed too); `response.created` already names the model.
 */
export class ResponsesStreamUsageReader implements StreamUsageReader {
  private usage: TokenUsage | null = null;
  private model: string | null = null;

  observe(event: SseEvent): void {
    if (!isWanted(event, RESPONSES_EVENTS_WITH_RESPONSE, /"type"\s*:\s*"response\.(created|completed|incomplete|failed)"/)) {
      return;
    }
    const payload = parseJsonObject(event.data);
    if (!payload || typeof payload.type !== 'string' || !RESPONSES_EVENTS_WITH_RESPONSE.has(payload.type)) return;
    const response = payload.response;
    if (typeof response !== 'object' || response === null) return;
    const { model, usage } = response as Record<string, unknown>;
    if (typeof model === 'string' && model !== '') this.model = model;
    this.usage = tokenUsageFromResponsesUsage(usage) ?? this.usage;
  }

  result(): UsageResult {
    return { usage: this.usage, model: this.model };
  }
}

const ANTHROPIC_EVENTS_WITH_USAGE = new Set(['message_start', 'message_delta']);

/**
 * Anthropic Messages events: `message_start` reports the input side (and a first output count),
 * each `message_delta` the cumulative output, and newer API versions repeat the input side there.
 */
export class AnthropicStreamUsageReader implements StreamUsageReader {
  private counts: AnthropicUsageCounts = noAnthropicUsageCounts;
  private model: string | null = null;

  observe(event: SseEvent): void {
    if (!isWanted(event, ANTHROPIC_EVENTS_WITH_USAGE, /"type"\s*:\s*"message_(start|delta)"/)) return;
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

/**
 * Whether an event may matter, decided before any JSON parsing: by its `event:` name when the
 * provider sends one (both do), else by a look at the payload's `type`.
 */
function isWanted(event: SseEvent, names: ReadonlySet<string>, unnamedPattern: RegExp): boolean {
  return event.type === 'message' ? unnamedPattern.test(event.data) : names.has(event.type);
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
