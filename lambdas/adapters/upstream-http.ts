import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { LookoutError } from '../core/lookout-error.js';
import { isPrivateAddress } from '../core/routing/target-url-policy.js';

export interface UpstreamRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  signal: AbortSignal;
  /** Time allowed until the upstream's response headers arrive. */
  headersTimeoutMs: number;
  /** Generic-route targets: refuse to connect to a private address (DNS rebinding guard). */
  refusePrivateAddresses: boolean;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

/** Longest silence allowed between two body chunks of an upstream answer (long generations). */
const BODY_IDLE_TIMEOUT_MS = 5 * 60_000;

const trustingAgent = new Agent({ keepAliveTimeout: 30_000, bodyTimeout: BODY_IDLE_TIMEOUT_MS });

/** Resolves like the default lookup, but fails for private addresses so they are never dialled. */
const guardedAgent = new Agent({
  keepAliveTimeout: 30_000,
  bodyTimeout: BODY_IDLE_TIMEOUT_MS,
  connect: {
    lookup(hostname, options, callback) {
      lookup(hostname, { all: true, family: options.family as 0 | 4 | 6 | undefined }).then((addresses) => {
        const refused = addresses.find((a) => isPrivateAddress(a.address));
        if (refused) callback(Object.assign(new Error(`${hostname} resolves to private address ${refused.address}`), { code: 'LOOKOUT_PRIVATE_ADDRESS' }), '', 0);
        else if (options.all) (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      }, (error: Error) => callback(error as NodeJS.ErrnoException, '', 0));
    },
  },
});

/** Every address a hostname resolves to (the hostname itself when it is an IP literal). */
export async function resolveHostAddresses(hostname: string): Promise<string[]> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return [bare];
  try {
    return (await lookup(bare, { all: true })).map((a) => a.address);
  } catch {
    throw new LookoutError(502, 'upstream_unreachable', `Could not resolve upstream host ${bare}.`);
  }
}

/**
 * Sends one request upstream and returns as soon as the response headers arrive, with the body
 * still streaming. Unreachable upstreams become 502 and slow ones 504, as Lookout errors.
 */
export async function sendUpstream(upstream: UpstreamRequest): Promise<UpstreamResponse> {
  const dispatcher: Dispatcher = upstream.refusePrivateAddresses ? guardedAgent : trustingAgent;
  try {
    const response = await request(upstream.url, {
      method: upstream.method as Dispatcher.HttpMethod,
      headers: upstream.headers,
      body: upstream.body && upstream.body.length > 0 ? upstream.body : undefined,
      signal: upstream.signal,
      headersTimeout: upstream.headersTimeoutMs,
      dispatcher,
    });
    return { status: response.statusCode, headers: flattenHeaders(response.headers), body: response.body };
  } catch (error) {
    throw upstreamFailure(error, upstream);
  }
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
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.add(code);
    if (e instanceof AggregateError) for (const inner of e.errors) codes.add((inner as { code?: string }).code ?? '');
  }
  const origin = upstream.url.origin;
  if (codes.has('LOOKOUT_PRIVATE_ADDRESS')) {
    return new LookoutError(400, 'target_url_not_allowed', `Lookout-Target-URL ${upstream.url.hostname} resolves to a private address.`);
  }
  if (error instanceof undiciErrors.HeadersTimeoutError || codes.has('UND_ERR_HEADERS_TIMEOUT') || codes.has('UND_ERR_CONNECT_TIMEOUT')) {
    return new LookoutError(504, 'upstream_timeout', `${origin} did not answer within ${upstream.headersTimeoutMs} ms.`);
  }
  return new LookoutError(502, 'upstream_unreachable', `Could not reach ${origin}: ${[...codes].filter(Boolean).join(', ') || (error as Error).message}.`);
}
