/** Hop-by-hop headers (RFC 9110 §7.6.1) plus ones the HTTP client or the platform sets itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const SET_BY_CLIENT_LIBRARY = new Set(['host', 'content-length', 'expect']);

/** Headers that API Gateway and CloudFront add on the way in; the provider has no use for them. */
const ADDED_BY_PLATFORM = /^(x-amzn-|x-amz-cf-|x-forwarded-|cloudfront-|via$|x-lookout-local-)/;

function connectionListed(headers: Readonly<Record<string, string>>): Set<string> {
  return new Set(
    (headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * The headers to send upstream: the client's headers (provider credentials included, untouched)
 * without hop-by-hop, platform and Lookout/Helicone headers. Asks for an uncompressed answer so
 * the gateway can read usage from the bytes it streams.
 */
export function upstreamRequestHeaders(
  clientHeaders: Readonly<Record<string, string>>,
  isLookoutHeader: (name: string) => boolean,
): Record<string, string> {
  const listed = connectionListed(clientHeaders);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(clientHeaders)) {
    if (HOP_BY_HOP.has(name) || listed.has(name) || SET_BY_CLIENT_LIBRARY.has(name)) continue;
    if (ADDED_BY_PLATFORM.test(name) || isLookoutHeader(name)) continue;
    out[name] = value;
  }
  out['accept-encoding'] = 'identity';
  return out;
}

/** The upstream response headers to pass back to the client: all but hop-by-hop ones. */
export function clientResponseHeaders(upstreamHeaders: Readonly<Record<string, string>>): Record<string, string> {
  const listed = connectionListed(upstreamHeaders);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(upstreamHeaders)) {
    if (HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}
