import { gunzipSync } from 'node:zlib';

/** How a body is represented in the API: parsed JSON, text (SSE streams, plain text), or base64 bytes (audio, images). */
export type BodyEncoding = 'json' | 'text' | 'base64';

/** A decoded body for the API. */
export interface BodyJson {
  body: unknown;
  encoding: BodyEncoding;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decompresses a stored body and picks its API form: JSON when it parses, else text, else base64. */
export function bodyJsonFromGzip(gzipBytes: Uint8Array): BodyJson {
  const bytes = gunzipSync(gzipBytes);
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
