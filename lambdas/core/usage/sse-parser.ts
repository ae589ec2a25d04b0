/**
 * Server-sent events, as the WHATWG HTML spec defines the `text/event-stream` format.
 *
 * Splitting works on bytes, not text: line terminators are ASCII and never occur inside a UTF-8
 * multi-byte sequence, so a frame boundary can be found without decoding, a chunk may end anywhere
 * (mid code point, between CR and LF) and every frame keeps the exact bytes that arrived.
 */

import { concatBytes } from './byte-concat.js';

const LF = 0x0a;
const CR = 0x0d;

/**
 * What a run of bytes is:
 * - `event`: one block ended by a blank line (it may still dispatch nothing, e.g. comments only);
 * - `terminator-tail`: the LF of a CRLF whose CR already closed the previous frame at the end of a
 *   chunk; it belongs to that frame and carries no event;
 * - `truncated`: the end of a block whose beginning was handed out by `releasePending`;
 * - `unterminated`: what was left when the stream ended without a final blank line.
 */
export type SseFrameKind = 'event' | 'terminator-tail' | 'truncated' | 'unterminated';

/** A run of stream bytes, exactly as received. */
export interface SseFrame {
  kind: SseFrameKind;
  bytes: Uint8Array;
  /** True for the stream's first block, where a UTF-8 byte-order mark is allowed and ignored. */
  atStreamStart: boolean;
}

/** One dispatched event: the `event:` name (`message` when absent) and the joined `data:` lines. */
export interface SseEvent {
  type: string;
  data: string;
}

/**
 * Cuts a byte stream into SSE frames as the bytes arrive. Frames that lie inside one pushed chunk
 * are views of that chunk (no copy); only a block spanning chunks is copied.
 */
export class SseFrameSplitter {
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  private lineHasContent = false;
  private previousWasCr = false;
  /** A CR closed a frame as the last byte of a chunk: an LF starting the next chunk is its tail. */
  private frameClosedByTrailingCr = false;
  private truncated = false;
  private atStreamStart = true;

  /** Bytes held for the block that is not complete yet. */
  get pendingBytes(): number {
    return this.pendingLength;
  }

  /** Feeds one chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array): SseFrame[] {
    const frames: SseFrame[] = [];
    const length = chunk.length;
    if (length === 0) return frames;
    let start = 0;
    if (this.frameClosedByTrailingCr) {
      this.frameClosedByTrailingCr = false;
      if (chunk[0] === LF) {
        frames.push({ kind: 'terminator-tail', bytes: chunk.subarray(0, 1), atStreamStart: false });
        start = 1;
      }
    }
    for (let i = start; i < length; i++) {
      const byte = chunk[i];
      if (byte !== LF && byte !== CR) {
        this.previousWasCr = false;
        this.lineHasContent = true;
        continue;
      }
      if (byte === LF && this.previousWasCr) {
        // Second half of a CRLF: the CR already ended the line.
        this.previousWasCr = false;
        continue;
      }
      this.previousWasCr = byte === CR;
      if (this.lineHasContent) {
        this.lineHasContent = false;
        continue;
      }
      // An empty line: the block ends here, together with the LF of a CRLF if it is in this chunk.
      let end = i + 1;
      if (byte === CR) {
        this.previousWasCr = false;
        if (end < length) {
          if (chunk[end] === LF) end++;
        } else {
          this.frameClosedByTrailingCr = true;
        }
      }
      frames.push(this.completeFrame(chunk, start, end));
      start = end;
      i = end - 1;
    }
    if (start < length) this.hold(chunk.subarray(start));
    return frames;
  }

  /** The bytes of an unterminated last block, if any; call once the stream is over. */
  end(): SseFrame | null {
    this.frameClosedByTrailingCr = false;
    if (this.pendingLength === 0) return null;
    const frame: SseFrame = {
      kind: this.truncated ? 'truncated' : 'unterminated',
      bytes: this.takePending(),
      atStreamStart: this.atStreamStart,
    };
    this.truncated = false;
    this.atStreamStart = false;
    return frame;
  }

  /**
   * Hands out the bytes held for the incomplete block and stops holding them; the rest of that
   * block arrives later as a `truncated` frame. Lets callers bound memory on oversized events.
   */
  releasePending(): Uint8Array {
    if (this.pendingLength === 0) return new Uint8Array(0);
    this.truncated = true;
    return this.takePending();
  }

  private completeFrame(chunk: Uint8Array, start: number, end: number): SseFrame {
    const tail = chunk.subarray(start, end);
    const bytes = this.pendingLength === 0 ? tail : concatBytes([...this.takePending(true), tail]);
    const frame: SseFrame = {
      kind: this.truncated ? 'truncated' : 'event',
      bytes,
      atStreamStart: this.atStreamStart,
    };
    this.truncated = false;
    this.atStreamStart = false;
    return frame;
  }

  private hold(bytes: Uint8Array): void {
    // A copy, because the caller owns the chunk and may reuse its memory after push returns.
    this.pending.push(bytes.slice());
    this.pendingLength += bytes.length;
  }

  private takePending(): Uint8Array;
  private takePending(asParts: true): Uint8Array[];
  private takePending(asParts?: true): Uint8Array | Uint8Array[] {
    const parts = this.pending;
    this.pending = [];
    this.pendingLength = 0;
    return asParts ? parts : concatBytes(parts);
  }
}

const utf8 = new TextDecoder('utf-8');

/** Decodes a frame's bytes and parses the event it dispatches, or null if it dispatches none. */
export function parseSseFrame(frame: SseFrame): SseEvent | null {
  if (frame.kind === 'terminator-tail' || frame.kind === 'truncated') return null;
  // TextDecoder drops a leading BOM by default, which is what the spec asks for the stream start.
  const text = frame.atStreamStart ? utf8.decode(frame.bytes) : decodeKeepingBom(frame.bytes);
  return parseSseBlock(text);
}

/** Parses the text of one event block (its lines; the terminating blank line optional). */
export function parseSseBlock(text: string): SseEvent | null {
  let type = '';
  let data: string[] | null = null;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') (data ??= []).push(value);
    else if (field === 'event') type = value;
  }
  if (data === null) return null;
  return { type: type === '' ? 'message' : type, data: data.join('\n') };
}

/**
 * Rewrites a block's text with new data, keeping every other line, the `data:` spelling and the
 * line terminator as they were, so an event that is changed differs only where it must.
 */
export function replaceSseBlockData(text: string, data: string): string {
  const lines = [...text.matchAll(/([^\r\n]*)(\r\n|\r|\n|$)/g)].filter((m) => m[0] !== '');
  let out = '';
  let written = false;
  for (const [whole, line = '', terminator = ''] of lines) {
    const isData = line === 'data' || line.startsWith('data:');
    if (!isData) {
      out += whole;
      continue;
    }
    if (written) continue;
    written = true;
    const prefix = line.startsWith('data: ') ? 'data: ' : 'data:';
    const newline = terminator === '' ? '\n' : terminator;
    const dataLines = data.split('\n');
    out += dataLines.map((value, i) => prefix + value + (i < dataLines.length - 1 ? newline : terminator)).join('');
  }
  return out;
}

const utf8KeepingBom = new TextDecoder('utf-8', { ignoreBOM: true });

function decodeKeepingBom(bytes: Uint8Array): string {
  return utf8KeepingBom.decode(bytes);
}
