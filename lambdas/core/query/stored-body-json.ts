import { gunzipSync } from 'node:zlib';

/**
 * How a body is represented in the API: parsed JSON, text (SSE streams, plain text), base64
 * bytes (audio, images), or `url`: too large to answer inline, fetched from a signed link.
 */
export type BodyEncoding = 'json' | 'text' | 'base64' | 'url';

/** A decoded body for the API; `url` is set (and `body` null) when the encoding is `url`. */
export interface BodyJson {
  body: unknown;
  encoding: BodyEncoding;
  url?: string;
}

/**
 * The largest decompressed body answered inline. Two of them, JSON-escaped, must fit in the
 * 6 MB a buffered Lambda may return through API Gateway.
 */
export const MAX_INLINE_BODY_BYTES = 2 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decompresses a stored body and picks its API form (`bodyJsonFromBytes`). Null when it
 * decompresses to more than `maxBytes` (the caller links to it instead).
 */
export function bodyJsonFromGzip(gzipBytes: Uint8Array, maxBytes: number = MAX_INLINE_BODY_BYTES): BodyJson | null {
  let bytes: Buffer;
  try {
    bytes = gunzipSync(gzipBytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return null;
    throw error;
  }
  return bodyJsonFromBytes(bytes);
}

/** A body's API form: JSON when it parses, else text, else base64. */
export function bodyJsonFromBytes(bytes: Uint8Array): BodyJson {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    // Not UTF-8: decoding with replacement characters would hand back corrupted bytes as if real.
    return { body: Buffer.from(bytes).toString('base64'), encoding: 'base64' };
  }
  try {
    return { body: JSON.parse(text), encoding: 'json' };
  } catch {
    return { body: text, encoding: 'text' };
  }
}
