/**
 * Picks chosen members out of a JSON object while its bytes stream past, keeping only their raw
 * text. A buffered provider answer can be tens of megabytes (an embeddings batch), yet usage and
 * model are small top-level members, so there is no need to hold or parse the whole document.
 * JSON's structural characters are ASCII and never occur inside a UTF-8 multi-byte sequence, so
 * scanning bytes is safe wherever a chunk happens to end.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** Longer keys are never among the wanted ones, so their bytes are not kept. */
const MAX_KEY_BYTES = 256;

/** Where the scanner is inside a member of the root object. */
type MemberPosition = 'key' | 'colon' | 'value' | 'rest';

interface ByteCapture {
  parts: Uint8Array[];
  length: number;
  overflow: boolean;
}

const utf8 = new TextDecoder('utf-8');

/**
 * Collects the values of chosen top-level members of a streamed JSON object. Members nested deeper
 * are ignored; the last occurrence of a duplicated member wins, as with `JSON.parse`.
 */
export class TopLevelJsonFieldCollector {
  private readonly wanted: ReadonlySet<string>;
  private readonly found = new Map<string, unknown>();
  private depth = 0;
  private started = false;
  private finished = false;
  private inString = false;
  private escaped = false;
  private position: MemberPosition = 'key';
  private key: ByteCapture | null = null;
  private keyStart = -1;
  private valueName: string | null = null;
  private value: ByteCapture | null = null;
  private valueStart = -1;

  /** `maxValueBytes` bounds each wanted member's raw text; a larger one is skipped, not kept. */
  constructor(
    fieldNames: readonly string[],
    private readonly maxValueBytes = 1024 * 1024,
  ) {
    this.wanted = new Set(fieldNames);
  }

  /** Feeds the next bytes of the document. */
  push(chunk: Uint8Array): void {
    if (this.finished) return;
    const length = chunk.length;
    for (let i = 0; i < length; i++) {
      const byte = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) {
          this.inString = false;
          if (this.key) this.finishKey(chunk, i);
        }
        continue;
      }
      if (byte === SPACE || byte === LF || byte === CR || byte === TAB) continue;
      if (!this.started) {
        this.started = true;
        if (byte !== OPEN_BRACE) {
          // Not an object (an HTML error page, a bare array): it has no members to find.
          this.finished = true;
          return;
        }
        this.depth = 1;
        this.position = 'key';
        continue;
      }
      if (this.depth === 1) {
        if (this.position === 'key' && byte === QUOTE) {
          this.inString = true;
          this.key = { parts: [], length: 0, overflow: false };
          this.keyStart = i + 1;
          continue;
        }
        if (this.position === 'colon' && byte === COLON) {
          this.position = 'value';
          continue;
        }
        if (this.position === 'value') {
          this.position = 'rest';
          if (this.valueName !== null) {
            this.value = { parts: [], length: 0, overflow: false };
            this.valueStart = i;
          }
        }
        if (byte === COMMA || byte === CLOSE_BRACE) {
          this.finishValue(chunk, i);
          this.position = 'key';
          if (byte === CLOSE_BRACE) {
            this.depth = 0;
            this.finished = true;
            return;
          }
          continue;
        }
      }
      if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) this.depth--;
    }
    // The chunk ends inside a key or a wanted value: keep what arrived of it.
    if (this.key && this.keyStart >= 0) {
      this.append(this.key, chunk.subarray(this.keyStart), MAX_KEY_BYTES);
      this.keyStart = 0;
    }
    if (this.value && this.valueStart >= 0) {
      this.append(this.value, chunk.subarray(this.valueStart), this.maxValueBytes);
      this.valueStart = 0;
    }
  }

  /** The parsed values of the wanted members seen complete so far. */
  values(): ReadonlyMap<string, unknown> {
    return this.found;
  }

  private finishKey(chunk: Uint8Array, quoteIndex: number): void {
    const key = this.key!;
    this.append(key, chunk.subarray(this.keyStart, quoteIndex), MAX_KEY_BYTES);
    this.key = null;
    this.keyStart = -1;
    this.position = 'colon';
    this.valueName = null;
    if (key.overflow) return;
    const name = decodeJsonString(key.parts);
    if (name !== null && this.wanted.has(name)) this.valueName = name;
  }

  private finishValue(chunk: Uint8Array, endIndex: number): void {
    const value = this.value;
    const name = this.valueName;
    this.value = null;
    this.valueName = null;
    if (!value || name === null) return;
    this.append(value, chunk.subarray(this.valueStart, endIndex), this.maxValueBytes);
    this.valueStart = -1;
    if (value.overflow) return;
    try {
      this.found.set(name, JSON.parse(utf8.decode(Buffer.concat(value.parts))));
    } catch {
      // A malformed member is as good as an absent one.
    }
  }

  private append(capture: ByteCapture, bytes: Uint8Array, limit: number): void {
    if (capture.overflow || bytes.length === 0) return;
    if (capture.length + bytes.length > limit) {
      capture.overflow = true;
      capture.parts = [];
      return;
    }
    // Copied, because the caller owns the chunk and may reuse its memory.
    capture.parts.push(bytes.slice());
    capture.length += bytes.length;
  }
}

function decodeJsonString(parts: Uint8Array[]): string | null {
  try {
    const parsed: unknown = JSON.parse(`"${utf8.decode(Buffer.concat(parts))}"`);
    return typeof parsed === 'string' ? parsed : null;
  } catch {
    return null;
  }
}
