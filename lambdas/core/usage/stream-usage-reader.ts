import type { SseEvent } from './sse-parser.js';
import type { TokenUsage } from './token-usage.js';

/** What a provider reported about one request: its token usage and the model that answered. */
export interface UsageResult {
  /** Null when the provider reported no usage (or not yet, for a stream cut short). */
  usage: TokenUsage | null;
  /** The model the provider says answered, which may be a dated snapshot of the one requested. */
  model: string | null;
}

/**
 * Reads usage out of the events of one provider stream; `result` is valid after any event. Each
 * wire format that streams has its own, in its folder under `core/providers`.
 */
export interface StreamUsageReader {
  observe(event: SseEvent): void;
  result(): UsageResult;
  /**
   * The provider's final event has been observed (`[DONE]`, `message_stop`,
   * `response.completed`): a client that leaves after it has the whole answer. The OpenAI SDK, for
   * one, stops reading at `[DONE]` and drops the connection before the body's own end.
   */
  readonly sawFinalEvent: boolean;
}

/**
 * Whether an event may matter, decided before any JSON parsing (most events of a stream carry
 * no usage): by its `event:` name when the provider sends one, else by a look at the payload.
 */
export function isWantedEvent(event: SseEvent, names: ReadonlySet<string>, unnamedPattern: RegExp): boolean {
  return event.type === 'message' ? unnamedPattern.test(event.data) : names.has(event.type);
}
