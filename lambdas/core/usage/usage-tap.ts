/**
 * The taps that do not depend on a wire format: one that only passes bytes on, one that reads a
 * JSON answer's top-level `usage` and `model`, and one that reads an event stream along with a
 * format's `StreamUsageReader`. Which tap an answer gets is the provider registry's choice
 * (`core/providers/create-usage-tap.ts`); a format that must change its stream brings its own.
 */

import { TopLevelJsonFieldCollector } from './json-top-level-fields.js';
import { parseSseFrame, SseFrameSplitter, type SseFrame } from './sse-parser.js';
import type { StreamUsageReader, UsageResult } from './stream-usage-reader.js';
import type { TokenUsage } from './token-usage.js';

/**
 * Sits between the upstream body and the client. `push` returns the bytes to send now; `end`
 * returns any bytes still held once the upstream body is over; `result` may be asked at any time
 * (a client gone mid-stream still leaves the usage reported so far).
 */
export interface UsageTap {
  push(chunk: Uint8Array): Uint8Array;
  end(): Uint8Array;
  result(): UsageResult;
  /** A stream's final event has passed through (`StreamUsageReader.sawFinalEvent`); false for any other answer. */
  readonly sawFinalEvent: boolean;
}

/** What a tap returns when it has no bytes to send. */
export const NO_BYTES = new Uint8Array(0);

/** Hands every chunk on untouched and reads nothing: an answer with no usage Lookout can read. */
export class PassThroughTap implements UsageTap {
  readonly sawFinalEvent = false;

  push(chunk: Uint8Array): Uint8Array {
    return chunk;
  }

  end(): Uint8Array {
    return NO_BYTES;
  }

  result(): UsageResult {
    return { usage: null, model: null };
  }
}

/**
 * A JSON answer: only its top-level `usage` and `model` are kept, whatever the body's size;
 * `readUsage` is the wire format's reading of that `usage` member.
 */
export class BufferedBodyTap implements UsageTap {
  // A JSON body is whole only at its end, which the relay sees for itself.
  readonly sawFinalEvent = false;
  private readonly fields = new TopLevelJsonFieldCollector(['usage', 'model']);

  constructor(private readonly readUsage: (usage: unknown) => TokenUsage | null) {}

  push(chunk: Uint8Array): Uint8Array {
    this.fields.push(chunk);
    return chunk;
  }

  end(): Uint8Array {
    return NO_BYTES;
  }

  result(): UsageResult {
    const values = this.fields.values();
    const model = values.get('model');
    return {
      usage: this.readUsage(values.get('usage')),
      model: typeof model === 'string' && model !== '' ? model : null,
    };
  }
}

/** An event stream the client gets untouched, read along for its usage. */
export class SseReadingTap implements UsageTap {
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
    return NO_BYTES;
  }

  result(): UsageResult {
    return this.reader.result();
  }

  get sawFinalEvent(): boolean {
    return this.reader.sawFinalEvent;
  }

  private read(frame: SseFrame): void {
    const event = parseSseFrame(frame);
    if (event) this.reader.observe(event);
  }
}
