/**
 * Joins byte arrays in order, handing a single part back as it is. `Buffer.concat` always copies,
 * even one part, and the two callers are on the streaming path, where one part is the common case:
 * the SSE splitter handing out the one held piece of a block, and a rewriting tap's output for a
 * chunk that completed a single held event. Off that path (`json-top-level-fields.ts`), plain
 * `Buffer.concat` is used.
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
