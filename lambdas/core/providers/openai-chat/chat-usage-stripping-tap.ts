import { concatBytes } from '../../usage/byte-concat.js';
import { parseJsonObject } from '../../usage/provider-json.js';
import { parseSseFrame, replaceSseBlockData, SseFrameSplitter, type SseFrame } from '../../usage/sse-parser.js';
import type { UsageResult } from '../../usage/stream-usage-reader.js';
import { NO_BYTES, type UsageTap } from '../../usage/usage-tap.js';
import { ChatStreamUsageReader } from './chat-stream-usage-reader.js';
import { isUsageOnlyChunk, removeNullUsageMember } from './chat-usage-chunk.js';

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * A Chat Completions stream whose `include_usage` was Lookout's doing: the client gets the stream
 * it would have had without it, i.e. no usage-only chunk and no `"usage":null` members. Bytes are
 * held only until their SSE event is complete, and only the events that must change are rewritten.
 */
export class ChatUsageStrippingTap implements UsageTap {
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
    return out.length === 0 ? NO_BYTES : concatBytes(out);
  }

  end(): Uint8Array {
    const rest = this.splitter.end();
    return (rest && this.clientBytes(rest)) ?? NO_BYTES;
  }

  result(): UsageResult {
    return this.reader.result();
  }

  get sawFinalEvent(): boolean {
    return this.reader.sawFinalEvent;
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
    if (isUsageOnlyChunk(parseJsonObject(event.data))) {
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
