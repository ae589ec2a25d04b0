import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { LookoutError } from '../../core/lookout-error.js';
import type { Upstream, UpstreamRequest, UpstreamResponse } from '../../core/ports/upstream.js';
import { assertPublicAddresses } from '../../core/routing/target-url-policy.js';

/** Longest silence allowed between two body chunks of an upstream answer (long generations). */
const BODY_IDLE_TIMEOUT_MS = 5 * 60_000;
const KEEP_ALIVE_TIMEOUT_MS = 30_000;

/**
 * Resolves like the default lookup, but fails for private addresses so they are never dialled.
 * This is the check that counts for generic-route targets: it sees the very addresses the socket
 * connects to, so a DNS answer that changes after some earlier check (rebinding) cannot pass.
 */
const refusingPrivateAddresses: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { all: true, family: options.family as 0 | 4 | 6 | undefined }).then(
    (addresses) => {
      try {
        assertPublicAddresses(
          hostname,
          addresses.map((a) => a.address),
        );
      } catch (refusal) {
        return callback(refusal as LookoutError, '', 0);
      }
      if (options.all) (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    },
    () => callback(new LookoutError(502, 'upstream_unreachable', `Could not resolve upstream host ${hostname}.`), '', 0),
  );
};

/**
 * The upstream port over undici: sends one request and returns as soon as the response headers
 * arrive, with the body still streaming. Unreachable upstreams become 502 and slow ones 504, as
 * Lookout errors. Keep one instance per function: it holds the keep-alive connection pools.
 */
export class UndiciUpstream implements Upstream {
  private readonly trusting = new Agent({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, bodyTimeout: BODY_IDLE_TIMEOUT_MS });
  private readonly guarded = new Agent({
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    bodyTimeout: BODY_IDLE_TIMEOUT_MS,
    connect: { lookup: refusingPrivateAddresses },
  });

  async send(upstream: UpstreamRequest): Promise<UpstreamResponse> {
    // The socket dials an IP literal without a lookup, so the guard above would never see it.
    if (upstream.refusePrivateAddresses) assertPublicLiteral(upstream.url);
    try {
      const response = await request(upstream.url, {
        method: upstream.method as Dispatcher.HttpMethod,
        headers: upstream.headers,
        body: upstream.body && upstream.body.length > 0 ? upstream.body : undefined,
        signal: upstream.signal,
        headersTimeout: upstream.headersTimeoutMs,
        dispatcher: upstream.refusePrivateAddresses ? this.guarded : this.trusting,
      });
      return { status: response.statusCode, headers: flattenHeaders(response.headers), body: response.body };
    } catch (error) {
      throw upstreamFailure(error, upstream);
    }
  }
}

function assertPublicLiteral(url: URL): void {
  const bare = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) assertPublicAddresses(url.hostname, [bare]);
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function upstreamFailure(error: unknown, upstream: UpstreamRequest): Error {
  if (upstream.signal.aborted) return error as Error;
  const codes = new Set<string>();
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    // The lookup guard's refusal, possibly wrapped by the connection attempt that it ended.
    if (e instanceof LookoutError) return e;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.add(code);
    if (e instanceof AggregateError) {
      for (const inner of e.errors) {
        if (inner instanceof LookoutError) return inner;
        codes.add((inner as { code?: string }).code ?? '');
      }
    }
  }
  const origin = upstream.url.origin;
  if (error instanceof undiciErrors.HeadersTimeoutError || codes.has('UND_ERR_HEADERS_TIMEOUT') || codes.has('UND_ERR_CONNECT_TIMEOUT')) {
    return new LookoutError(504, 'upstream_timeout', `${origin} did not answer within ${upstream.headersTimeoutMs} ms.`);
  }
  return new LookoutError(
    502,
    'upstream_unreachable',
    `Could not reach ${origin}: ${[...codes].filter(Boolean).join(', ') || (error as Error).message}.`,
  );
}
