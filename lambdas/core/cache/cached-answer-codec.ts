import * as z from 'zod';
import type { CachedAnswer } from '../ports/response-cache.js';

/**
 * A cached answer as bytes, the same in every backend: a version byte, the length of a JSON
 * header (4 bytes, big-endian), the header (status, replayed headers, the original's measures),
 * then the body as it was sent. The body stays raw rather than base64 in the JSON, so a hit
 * decodes a 1 MiB answer without copying it through a string.
 */
const FORMAT_VERSION = 1;
const PREFIX_BYTES = 5;

const count = z.number().int().nonnegative();
const headerSchema = z.object({
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()),
  stream: z.boolean(),
  original: z.object({
    requestId: z.string(),
    createdAtMs: count,
    latencyMs: count,
    ttftMs: count.nullable(),
    model: z.string().nullable(),
    usage: z
      .object({
        promptTokens: count,
        completionTokens: count,
        cachedTokens: count,
        cacheWriteTokens: count,
        cacheWrite1hTokens: count,
        totalTokens: count,
      })
      .nullable(),
  }),
});

export function encodeCachedAnswer(answer: CachedAnswer): Buffer {
  const { body, ...rest } = answer;
  const header = Buffer.from(JSON.stringify(rest), 'utf8');
  const prefix = Buffer.allocUnsafe(PREFIX_BYTES);
  prefix.writeUInt8(FORMAT_VERSION, 0);
  prefix.writeUInt32BE(header.length, 1);
  return Buffer.concat([prefix, header, body]);
}

/** The answer in `bytes`; throws a `CachedAnswerFormatError` for bytes this version did not write. */
export function decodeCachedAnswer(bytes: Uint8Array): CachedAnswer {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < PREFIX_BYTES || buffer.readUInt8(0) !== FORMAT_VERSION) {
    throw new CachedAnswerFormatError('not a cached answer of format version 1');
  }
  const headerEnd = PREFIX_BYTES + buffer.readUInt32BE(1);
  if (headerEnd > buffer.length) throw new CachedAnswerFormatError('the header runs past the end of the entry');
  let header: unknown;
  try {
    header = JSON.parse(buffer.subarray(PREFIX_BYTES, headerEnd).toString('utf8'));
  } catch {
    throw new CachedAnswerFormatError('the header is not JSON');
  }
  const parsed = headerSchema.safeParse(header);
  if (!parsed.success) throw new CachedAnswerFormatError(`the header does not parse: ${parsed.error.issues[0]?.message}`);
  return { ...parsed.data, body: buffer.subarray(headerEnd) };
}

/** The answer in `bytes`, or null for bytes this version did not write: a backend reads those as a miss. */
export function decodeCachedAnswerOrNull(bytes: Uint8Array): CachedAnswer | null {
  try {
    return decodeCachedAnswer(bytes);
  } catch (error) {
    if (error instanceof CachedAnswerFormatError) return null;
    throw error;
  }
}

/** Stored bytes that are not a cached answer (another version wrote them, or they were cut). */
export class CachedAnswerFormatError extends Error {
  override readonly name = 'CachedAnswerFormatError';
}
