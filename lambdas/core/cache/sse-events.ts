/**
 * A stored SSE stream cut into its events, each with the blank line that ends it, so a hit is
 * replayed event by event as the provider sent it. Bytes after the last event terminator (a
 * stream that ended without one) are the last piece. Splitting works on bytes, so a multi-byte
 * character is never cut.
 */
export function splitSseEvents(bytes: Uint8Array): Uint8Array[] {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const events: Uint8Array[] = [];
  let start = 0;
  let index = 0;
  while (index < buffer.length) {
    const end = eventEnd(buffer, index);
    if (end === -1) {
      index += 1;
      continue;
    }
    events.push(buffer.subarray(start, end));
    start = end;
    index = end;
  }
  if (start < buffer.length) events.push(buffer.subarray(start));
  return events;
}

const LF = 0x0a;
const CR = 0x0d;

/** Where the event ending at `index` stops, past its blank line (`\n\n`, `\r\n\r\n` or `\r\r`), else -1. */
function eventEnd(buffer: Buffer, index: number): number {
  if (buffer[index] === LF && buffer[index + 1] === LF) return index + 2;
  if (buffer[index] === CR && buffer[index + 1] === LF && buffer[index + 2] === CR && buffer[index + 3] === LF) return index + 4;
  if (buffer[index] === CR && buffer[index + 1] === CR) return index + 2;
  return -1;
}
