import { concatBytes } from './byte-concat.js';
import { isUsageOnlyChunk, removeNullUsageMember } from './chat-usage-chunk.js';
import type { EndpointKind } from './endpoint-kind.js';
import { TopLevelJsonFieldCollector } from './json-top-level-fields.js';
import {
  mergeAnthropicUsage,
  noAnthropicUsageCounts,
  tokenUsageFromAnthropicCounts,
  tokenUsageFromOpenAiUsage,
  tokenUsageFromResponsesUsage,
} from './provider-usage.js';
import { parseSseFrame, replaceSseBlockData, SseFrameSplitter, type SseFrame } from './sse-parser.js';
import {
  AnthropicStreamUsageReader,
  ChatStreamUsageReader,
  ResponsesStreamUsageReader,
  type StreamUsageReader,
  type UsageResult,
} from './stream-usage-readers.js';
import type { TokenUsage } from './token-usage.js';

export type { UsageResult } from './stream-usage-readers.js';

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

/**
 * Sits between the upstream body and the client. `push` returns the bytes to send now; `end`
 * returns any bytes still held once the upstream body is over; `result` may be asked at any time
 * (a client gone mid-stream still leaves the usage reported so far).
 */
export interface UsageTap {
  push(chunk: Uint8Array): Uint8Array;
  end(): Uint8Array;
  result(): UsageResult;
}

const DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;
const NOTHING = new Uint8Array(0);

/**
 * A tap for one upstream answer. Unless it must strip injected usage, it hands every chunk back
 * as the same object at once and only reads along; stripping holds bytes until their SSE event is
 * complete, and rewrites only the events it must change.
 */
export function createUsageTap(kind: EndpointKind, options: UsageTapOptions): UsageTap {
  const maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  if (kind === 'other') return new PassThroughTap();
  if (!options.streaming) return new BufferedBodyTap(kind);
  switch (kind) {
    case 'openai.chat':
      return options.injectedIncludeUsage
        ? new ChatUsageStrippingTap(maxEventBytes)
        : new SseReadingTap(new ChatStreamUsageReader(), maxEventBytes);
    case 'openai.responses':
      return new SseReadingTap(new ResponsesStreamUsageReader(), maxEventBytes);
    case 'anthropic.messages':
      return new SseReadingTap(new AnthropicStreamUsageReader(), maxEventBytes);
    case 'openai.embeddings':
      // Embeddings do not stream; whatever this is, it carries no usage Lookout can read.
      return new PassThroughTap();
  }
}

class PassThroughTap implements UsageTap {
  push(chunk: Uint8Array): Uint8Array {
    return chunk;
  }

  end(): Uint8Array {
    return NOTHING;
  }

  result(): UsageResult {
    return { usage: null, model: null };
  }
}

/** A JSON answer: only its top-level `usage` and `model` are kept, whatever the body's size. */
class BufferedBodyTap implements UsageTap {
  private readonly fields = new TopLevelJsonFieldCollector(['usage', 'model']);

  constructor(private readonly kind: Exclude<EndpointKind, 'other'>) {}

  push(chunk: Uint8Array): Uint8Array {
    this.fields.push(chunk);
    return chunk;
  }

  end(): Uint8Array {
    return NOTHING;
  }

  result(): UsageResult {
    const values = this.fields.values();
    const model = values.get('model');
    return {
      usage: this.usageOf(values.get('usage')),
      model: typeof model === 'string' && model !== '' ? model : null,
    };
  }

  private usageOf(usage: unknown): TokenUsage | null {
    switch (this.kind) {
      case 'openai.chat':
      case 'openai.embeddings':
        return tokenUsageFromOpenAiUsage(usage);
      case 'openai.responses':
        return tokenUsageFromResponsesUsage(usage);
      case 'anthropic.messages':
        return tokenUsageFromAnthropicCounts(mergeAnthropicUsage(noAnthropicUsageCounts, usage));
    }
  }
}

/** An event stream the client gets untouched, read along for its usage. */
class SseReadingTap implements UsageTap {
  private readonly splitter = new SseFrameSplitter();

  constructor(
    private readonly reader: StreamUsageReader,
    private readonly maxEventBytes: number,
  ) {}

  push(chunk: Uint8Array): Uint8Array {
    for (const frame of this.splitter.push(chunk)) this.read(frame);
    if (this.splitter.pendingBytes > this.maxEventBytes) this.splitter.releasePending();
    return chunk;
  }

  end(): Uint8Array {
    // An event the stream ended inside still counts if its data is whole: the provider sent it.
    const rest = this.splitter.end();
    if (rest) this.read(rest);
    return NOTHING;
  }

  result(): UsageResult {
    return this.reader.result();
  }

  private read(frame: SseFrame): void {
    const event = parseSseFrame(frame);
    if (event) this.reader.observe(event);
  }
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * A Chat Completions stream whose `include_usage` was Lookout's doing: the client gets the stream
 * it would have had without it, i.e. no usage-only chunk and no `"usage":null` members.
 */
class ChatUsageStrippingTap implements UsageTap {
  private readonly splitter = new SseFrameSplitter();
  private readonly reader = new ChatStreamUsageReader();
  private previousFrameDropped = false;

  constructor(private readonly maxEventBytes: number) {}

  push(chunk: Uint8Array): Uint8Array {
    const heldBefore = this.splitter.pendingBytes > 0;
    const out: Uint8Array[] = [];
    let changed = false;
    for (const frame of this.splitter.push(chunk)) {
      const bytes = this.clientBytes(frame);
      if (bytes !== frame.bytes) changed = true;
      if (bytes) out.push(bytes);
    }
    const heldAfter = this.splitter.pendingBytes > 0;
    // Every event of the chunk went through as it came and nothing is held: send the chunk itself.
    if (!changed && !heldBefore && !heldAfter) return chunk;
    if (this.splitter.pendingBytes > this.maxEventBytes) out.push(this.splitter.releasePending());
    return out.length === 0 ? NOTHING : concatBytes(out);
  }

  end(): Uint8Array {
    const rest = this.splitter.end();
    return (rest && this.clientBytes(rest)) ?? NOTHING;
  }

  result(): UsageResult {
    return this.reader.result();
  }

  /** The bytes of a frame the client should get: the same array, a rewritten one, or null. */
  private clientBytes(frame: SseFrame): Uint8Array | null {
    if (frame.kind === 'terminator-tail') {
      // The LF of a CRLF that ended a dropped event goes with it.
      return this.previousFrameDropped ? null : frame.bytes;
    }
    this.previousFrameDropped = false;
    const event = parseSseFrame(frame);
    if (!event) return frame.bytes;
    this.reader.observe(event);
    if (!event.data.includes('"usage"')) return frame.bytes;
    const withoutNullUsage = removeNullUsageMember(event.data);
    if (withoutNullUsage !== null) return rewriteFrameData(frame.bytes, withoutNullUsage) ?? frame.bytes;
    if (isUsageOnlyChunk(parseJsonOrNull(event.data))) {
      this.previousFrameDropped = true;
      return null;
    }
    return frame.bytes;
  }
}

/** The frame with its data replaced, or null if its bytes are not valid UTF-8 (left alone then). */
function rewriteFrameData(bytes: Uint8Array, data: string): Uint8Array | null {
  let text: string;
  try {
    text = utf8Strict.decode(bytes);
  } catch {
    return null;
  }
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  return utf8Encoder.encode(bom + replaceSseBlockData(text.slice(bom.length), data));
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
