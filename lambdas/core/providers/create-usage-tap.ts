import { BufferedBodyTap, PassThroughTap, SseReadingTap, type UsageTap } from '../usage/usage-tap.js';
import { wireFormatOf, type EndpointKind } from './registry.js';

/** How the upstream answer is framed, and whether Lookout added usage the client must not see. */
export interface UsageTapOptions {
  /** The upstream answer is `text/event-stream` (decide from the response, not the request). */
  streaming: boolean;
  /** `prepareUpstreamRequest` set `include_usage` for this request; strip what it added. */
  injectedIncludeUsage: boolean;
  /**
   * The largest single SSE event held, to read or to rewrite; bytes of a larger one are passed on
   * (or, when only reading, dropped) and that event is not read. Default 16 MiB, enough for a
   * Responses API `response.completed` that repeats a long answer.
   */
  maxEventBytes?: number;
}

const DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;

/**
 * A tap for one upstream answer, chosen by its wire format. Unless it must strip injected usage, it
 * hands every chunk back as the same object at once and only reads along; stripping holds bytes
 * until their SSE event is complete, and rewrites only the events it must change.
 */
export function createUsageTap(kind: EndpointKind, options: UsageTapOptions): UsageTap {
  const format = wireFormatOf(kind);
  if (!format) return new PassThroughTap();
  if (!options.streaming) return new BufferedBodyTap(format.readBufferedUsage);
  // A format that does not stream (Embeddings): whatever this is, it carries no usage Lookout can read.
  if (!format.stream) return new PassThroughTap();
  const maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  if (options.injectedIncludeUsage && format.stream.createInjectedUsageStrippingTap) {
    return format.stream.createInjectedUsageStrippingTap(maxEventBytes);
  }
  return new SseReadingTap(format.stream.createReader(), maxEventBytes);
}
