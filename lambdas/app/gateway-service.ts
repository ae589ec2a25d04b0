import type { Readable } from 'node:stream';
import { GatewayError, gatewayErrorBody } from '../core/gateway-error.js';
import { isLookoutHeader, parseMonitoringHeaders, type MonitoringHeaders } from '../core/headers/monitoring-headers.js';
import type { HttpRequest } from '../core/http/http-request.js';
import type { RuntimeConfig } from '../core/runtime-config.js';
import { clientResponseHeaders, upstreamRequestHeaders } from '../core/routing/forwarded-headers.js';
import { joinUpstreamUrl, resolveGatewayRoute, type GatewayRoute } from '../core/routing/gateway-route.js';
import { assertTargetAddressesAllowed, assertTargetOriginAllowed, type TargetUrlPolicy } from '../core/routing/target-url-policy.js';
import type { UpstreamRequest, UpstreamResponse } from '../adapters/upstream-http.js';
import type { GatewayKeyAuthenticator } from './gateway-key-authenticator.js';
import { fixedBody, relayUpstreamBody, type RelayOutcome } from './response-relay.js';

export interface GatewayDependencies {
  config: RuntimeConfig;
  authenticator: GatewayKeyAuthenticator;
  sendUpstream(request: UpstreamRequest): Promise<UpstreamResponse>;
  resolveHostAddresses(hostname: string): Promise<string[]>;
  logger: { error(message: string, extra: Record<string, unknown>): void; warn(message: string, extra: Record<string, unknown>): void };
  newRequestId(): string;
  now(): number;
}

/** What the streaming handler returns: middy writes the prelude and pipes `body`. */
export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Readable;
}

export interface HandledRequest {
  response: GatewayResponse;
  /** Settles after the client has the last byte and the post-response work is done. */
  afterResponse: Promise<void>;
}

const JSON_CONTENT_TYPE = /^application\/([\w.+-]+\+)?json\b/i;

/**
 * The gateway's request path: route, validate headers, authenticate, forward upstream and relay
 * the answer as it streams. Every answer carries the request id as `Lookout-Id` and `Helicone-Id`.
 */
export class GatewayService {
  private readonly targetPolicy: TargetUrlPolicy;

  constructor(private readonly deps: GatewayDependencies) {
    this.targetPolicy = {
      allowlist: deps.config.targetUrlAllowlist,
      trustedOrigins: Object.values(deps.config.providers).map((p) => new URL(p.baseUrl).origin),
    };
  }

  async handle(request: HttpRequest): Promise<HandledRequest> {
    const startedAtMs = this.deps.now();
    let requestId = this.deps.newRequestId();
    try {
      const route = resolveGatewayRoute(request.path, this.deps.config);
      const monitoring = parseMonitoringHeaders(request.headers);
      if (monitoring.requestId) requestId = monitoring.requestId;
      await this.deps.authenticator.authenticate(monitoring.gatewayKey, 'app');
      const upstreamBody = this.validatedBody(request);
      const url = await this.upstreamUrl(route, monitoring, request.rawQuery);
      return await this.forward(request, url, route, upstreamBody, requestId, startedAtMs);
    } catch (error) {
      return this.errorResponse(error, requestId);
    }
  }

  private validatedBody(request: HttpRequest): Buffer {
    const { maxBodyBytes } = this.deps.config;
    if (request.body.length > maxBodyBytes) {
      throw new GatewayError(413, 'payload_too_large', `The request body is over the ${maxBodyBytes}-byte limit.`);
    }
    const contentType = request.headers['content-type'];
    const isJson = contentType ? JSON_CONTENT_TYPE.test(contentType) : request.body.length > 0;
    if (isJson && request.body.length > 0) {
      try {
        JSON.parse(request.body.toString('utf8'));
      } catch (error) {
        throw new GatewayError(400, 'invalid_json', `The request body is not valid JSON: ${(error as Error).message}`);
      }
    }
    return request.body;
  }

  private async upstreamUrl(route: GatewayRoute, monitoring: MonitoringHeaders, rawQuery: string): Promise<URL> {
    if (!route.needsTargetUrl) return joinUpstreamUrl(route.baseUrl!, route.upstreamPath, rawQuery);
    const target = monitoring.targetUrl;
    if (!target) {
      throw new GatewayError(400, 'missing_header', 'Lookout-Target-URL (or Helicone-Target-URL) is required on the /gateway route.');
    }
    assertTargetOriginAllowed(target, this.targetPolicy);
    assertTargetAddressesAllowed(target, await this.deps.resolveHostAddresses(target.hostname), this.targetPolicy);
    return joinUpstreamUrl(target.href, route.upstreamPath, rawQuery);
  }

  private async forward(request: HttpRequest, url: URL, route: GatewayRoute, body: Buffer, requestId: string, startedAtMs: number): Promise<HandledRequest> {
    const abort = new AbortController();
    const upstream = await this.deps.sendUpstream({
      url,
      method: request.method,
      headers: upstreamRequestHeaders(request.headers, isLookoutHeader),
      body,
      signal: abort.signal,
      headersTimeoutMs: this.deps.config.upstreamTimeoutMs,
      refusePrivateAddresses: route.needsTargetUrl && !this.targetPolicy.trustedOrigins.includes(url.origin),
    });
    const relay = relayUpstreamBody(upstream.body, passThroughTap, () => abort.abort(), this.deps.now);
    const afterResponse = relay.outcome.then((outcome) => this.afterRelay(outcome, url, upstream.status, startedAtMs));
    return {
      response: { statusCode: upstream.status, headers: { ...clientResponseHeaders(upstream.headers), ...idHeaders(requestId) }, body: relay.body },
      afterResponse,
    };
  }

  private afterRelay(outcome: RelayOutcome, url: URL, status: number, startedAtMs: number): void {
    if (outcome.kind === 'upstream_error') {
      this.deps.logger.warn('upstream body failed mid-stream', { upstream: url.origin, status, error: outcome.error.message, latencyMs: outcome.endedAtMs - startedAtMs });
    }
  }

  private errorResponse(error: unknown, requestId: string): HandledRequest {
    const gatewayError = error instanceof GatewayError
      ? error
      : new GatewayError(500, 'internal_error', 'Lookout failed to handle this request; it has been logged.');
    if (!(error instanceof GatewayError)) this.deps.logger.error('gateway request failed', { requestId, error: (error as Error)?.stack ?? String(error) });
    else if (gatewayError.status >= 500) this.deps.logger.warn('upstream failure', { requestId, code: gatewayError.code, message: gatewayError.message });
    const { body, delivered } = fixedBody(Buffer.from(gatewayErrorBody(gatewayError)));
    return {
      response: { statusCode: gatewayError.status, headers: { 'content-type': 'application/json', ...idHeaders(requestId) }, body },
      afterResponse: delivered,
    };
  }
}

const passThroughTap = { push: (chunk: Uint8Array) => chunk, end: () => new Uint8Array(0) };

function idHeaders(requestId: string): Record<string, string> {
  return { 'lookout-id': requestId, 'helicone-id': requestId };
}
