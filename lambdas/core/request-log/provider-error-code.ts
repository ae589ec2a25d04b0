/**
 * The error code of a provider's 4xx/5xx answer, for the request log's `errorCode`. OpenAI puts
 * `{"error":{"code","type"}}` in its bodies and Anthropic `{"type":"error","error":{"type"}}`, so
 * a 429 is logged as `rate_limit_exceeded` or `rate_limit_error` rather than a bare status.
 */

/** Bodies past this are not parsed: an error body is small, and the log must not pay for a big one. */
const MAX_PARSED_BYTES = 64 * 1024;
/** A code is kept only if it looks like one; free text from a provider is not a filterable code. */
const CODE_SHAPE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The provider's error code (`error.code`, else `error.type`), or `http_<status>` when it gives none. */
export function providerErrorCode(status: number, body: Uint8Array): string {
  const fallback = `http_${status}`;
  if (body.length === 0 || body.length > MAX_PARSED_BYTES) return fallback;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8'));
  } catch {
    return fallback;
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error !== 'object' || error === null) return fallback;
  const { code, type } = error as { code?: unknown; type?: unknown };
  for (const candidate of [code, type]) {
    if (typeof candidate === 'string' && CODE_SHAPE.test(candidate)) return candidate;
  }
  return fallback;
}
