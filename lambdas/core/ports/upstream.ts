import type { Readable } from 'node:stream';

/** One request to a provider (or a generic-route target), as the gateway forwards it. */
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

/** The upstream's answer once its headers arrived; the body is still streaming. */
export interface UpstreamResponse {
  status: number;
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Readable;
}

/**
 * The port through which the gateway reaches upstreams. `send` settles when the response headers
 * arrive; an unreachable upstream, a slow one and a refused private address reject with a
 * `LookoutError` (502 `upstream_unreachable`, 504 `upstream_timeout`, 400 `target_url_not_allowed`).
 */
export interface Upstream {
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
}
