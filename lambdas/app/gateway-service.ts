import type { Readable } from 'node:stream';
import { LookoutError, lookoutErrorBody } from '../core/lookout-error.js';
import { headersNotActedOn, IGNORED_HEADERS_HEADER } from '../core/headers/headers-not-acted-on.js';
import { isLookoutHeader, parseMonitoringHeaders, type MonitoringHeaders } from '../core/headers/monitoring-headers.js';
import type { HttpRequest } from '../core/http/http-request.js';
import { BoundedByteCollector } from '../core/request-log/bounded-byte-collector.js';
import { buildRequestLogRecord, type FinishedRequest } from '../core/request-log/build-request-log-record.js';
import { providerErrorCode } from '../core/request-log/provider-error-code.js';
import type { RequestOutcome } from '../core/request-log/request-log-record.js';
import type { RuntimeConfig } from '../core/runtime-config.js';
import { clientResponseHeaders, upstreamRequestHeaders } from '../core/routing/forwarded-headers.js';
import { joinUpstreamUrl, resolveGatewayRoute, type GatewayRoute } from '../core/routing/gateway-route.js';
import { assertTargetAddressesAllowed, assertTargetOriginAllowed, type TargetUrlPolicy } from '../core/routing/target-url-policy.js';
import { classifyEndpoint } from '../core/usage/endpoint-kind.js';
import { prepareUpstreamRequest } from '../core/usage/include-usage-injection.js';
import { createUsageTap, type UsageTap } from '../core/usage/usage-tap.js';
import type { UpstreamRequest, UpstreamResponse } from '../adapters/upstream-http.js';
import type { GatewayKeyAuthenticator } from './gateway-key-authenticator.js';
import type { CapturedBodies } from './request-log-recorder.js';
import { fixedBody, relayUpstreamBody, type RelayOutcome } from './response-relay.js';

type Logger = { error(message: string, extra: Record<string, unknown>): void; warn(message: string, extra: Record<string, unknown>): void };

export interface GatewayDependencies {
  config: RuntimeConfig;
  authenticator: GatewayKeyAuthenticator;
  sendUpstream(request: UpstreamRequest): Promise<UpstreamResponse>;
  resolveHostAddresses(hostname: string): Promise<string[]>;
  /** Stores one request's log; runs after the client has its last byte. */
  recordRequest(record: ReturnType<typeof buildRequestLogRecord>, bodies: CapturedBodies): Promise<void>;
  logger: Logger;
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
  /** Settles after the client has the last byte and the request is logged. */
  afterResponse: Promise<void>;
}

/** An authenticated request: from here on, whatever happens is logged. */
interface AcceptedRequest {
  id: string;
  startedAtMs: number;
  route: GatewayRoute;
  method: string;
  monitoring: MonitoringHeaders;
  keyName: string;
  body: Buffer;
  json: unknown;
}

const JSON_CONTENT_TYPE = /^application\/([\w.+-]+\+)?json\b/i;
const SSE_CONTENT_TYPE = /^text\/event-stream\b/i;

/**
 * The gateway's request path: route, validate headers, authenticate, forward upstream, relay
 * the answer as it streams while reading its usage, then log the request. Every answer carries
 * the request id as `Lookout-Id` and `Helicone-Id`.
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
    let id = this.deps.newRequestId();
    let accepted: AcceptedRequest | undefined;
    try {
      const route = resolveGatewayRoute(request.path, this.deps.config);
      const monitoring = parseMonitoringHeaders(request.headers);
      if (monitoring.requestId) id = monitoring.requestId;
      const key = await this.deps.authenticator.authenticate(monitoring.gatewayKey, 'app');
      accepted = { id, startedAtMs, route, method: request.method, monitoring, keyName: key.name, body: request.body, json: undefined };
      accepted.json = this.parsedBody(request);
      const url = await this.upstreamUrl(route, monitoring, request.rawQuery);
      return await this.forward(request, url, accepted);
    } catch (error) {
      return this.errorResponse(error, id, accepted, request.path);
    }
  }

  private parsedBody(request: HttpRequest): unknown {
    const { maxBodyBytes } = this.deps.config;
    if (request.body.length > maxBodyBytes) {
      throw new LookoutError(413, 'payload_too_large', `The request body is over the ${maxBodyBytes}-byte limit.`);
    }
    const contentType = request.headers['content-type'];
    const isJson = contentType ? JSON_CONTENT_TYPE.test(contentType) : request.body.length > 0;
    if (!isJson || request.body.length === 0) return undefined;
    try {
      return JSON.parse(request.body.toString('utf8'));
    } catch (error) {
      throw new LookoutError(400, 'invalid_json', `The request body is not valid JSON: ${(error as Error).message}`);
    }
  }

  private async upstreamUrl(route: GatewayRoute, monitoring: MonitoringHeaders, rawQuery: string): Promise<URL> {
    if (!route.needsTargetUrl) return joinUpstreamUrl(route.baseUrl!, route.upstreamPath, rawQuery);
    const target = monitoring.targetUrl;
    if (!target) {
      throw new LookoutError(400, 'missing_header', 'Lookout-Target-URL (or Helicone-Target-URL) is required on the /gateway route.');
    }
    assertTargetOriginAllowed(target, this.targetPolicy);
    assertTargetAddressesAllowed(target, await this.deps.resolveHostAddresses(target.hostname), this.targetPolicy);
    return joinUpstreamUrl(target.href, route.upstreamPath, rawQuery);
  }

  private async forward(request: HttpRequest, url: URL, accepted: AcceptedRequest): Promise<HandledRequest> {
    const kind = classifyEndpoint(accepted.route.upstreamPath);
    const prepared = prepareUpstreamRequest(kind, accepted.json);
    const abort = new AbortController();
    const upstream = await this.deps.sendUpstream({
      url,
      method: request.method,
      headers: upstreamRequestHeaders(request.headers, isLookoutHeader),
      body: prepared.injectedIncludeUsage ? Buffer.from(JSON.stringify(prepared.body)) : accepted.body,
      signal: abort.signal,
      headersTimeoutMs: this.deps.config.upstreamTimeoutMs,
      refusePrivateAddresses: accepted.route.needsTargetUrl && !this.targetPolicy.trustedOrigins.includes(url.origin),
    });
    const stream = SSE_CONTENT_TYPE.test(upstream.headers['content-type'] ?? '');
    const usageTap = createUsageTap(kind, { streaming: stream, injectedIncludeUsage: prepared.injectedIncludeUsage });
    const responseBody = new BoundedByteCollector(this.deps.config.maxBodyBytes);
    const relay = relayUpstreamBody(upstream.body, capturing(usageTap, responseBody), () => abort.abort(), this.deps.now);
    const afterResponse = relay.outcome.then((outcome) => {
      if (outcome.kind === 'upstream_error') {
        this.deps.logger.warn('upstream body failed mid-answer', { requestId: accepted.id, upstream: url.origin, status: upstream.status, error: outcome.error.message });
      }
      const usage = usageTap.result();
      // A provider's own 4xx/5xx reached the client whole: the relay completed, the request did not.
      const providerRefused = outcome.kind === 'completed' && upstream.status >= 400;
      return this.log(accepted, {
        status: upstream.status,
        outcome: providerRefused ? 'upstream_error' : relayOutcome(outcome),
        errorCode: providerRefused
          ? providerErrorCode(upstream.status, responseBody.bytes())
          : outcome.kind === 'upstream_error' ? upstreamErrorCode(outcome.error) : null,
        stream,
        endedAtMs: outcome.endedAtMs,
        firstByteAtMs: outcome.firstByteAtMs,
        usage: usage.usage,
        reportedModel: usage.model,
        responseBodyTruncated: responseBody.truncated && !accepted.monitoring.omitResponse,
      }, responseBody.bytes());
    });
    return {
      response: { statusCode: upstream.status, headers: { ...clientResponseHeaders(upstream.headers), ...idHeaders(accepted.id), ...ignoredHeadersHeader(request.headers) }, body: relay.body },
      afterResponse,
    };
  }

  private errorResponse(error: unknown, id: string, accepted: AcceptedRequest | undefined, path: string): HandledRequest {
    const gatewayError = error instanceof LookoutError
      ? error
      : new LookoutError(500, 'internal_error', 'Lookout failed to handle this request; it has been logged.');
    if (!(error instanceof LookoutError)) this.deps.logger.error('gateway request failed', { requestId: id, error: (error as Error)?.stack ?? String(error) });
    else if (!accepted) this.deps.logger.warn('request refused before authentication', { requestId: id, path, status: gatewayError.status, code: gatewayError.code });
    const errorBody = Buffer.from(lookoutErrorBody(gatewayError));
    const { body, delivered } = fixedBody(errorBody);
    const afterResponse = !accepted ? delivered : delivered.then(() => this.log(accepted, {
      status: gatewayError.status,
      outcome: errorOutcome(gatewayError),
      errorCode: gatewayError.code,
      stream: false,
      endedAtMs: this.deps.now(),
      firstByteAtMs: undefined,
      usage: null,
      reportedModel: null,
      responseBodyTruncated: false,
    }, errorBody));
    return {
      response: { statusCode: gatewayError.status, headers: { 'content-type': 'application/json', ...idHeaders(id) }, body },
      afterResponse,
    };
  }

  private async log(accepted: AcceptedRequest, result: Pick<FinishedRequest, 'status' | 'outcome' | 'errorCode' | 'stream' | 'endedAtMs' | 'firstByteAtMs' | 'usage' | 'reportedModel' | 'responseBodyTruncated'>, responseBytes: Buffer): Promise<void> {
    try {
      const record = buildRequestLogRecord({
        ...result,
        id: accepted.id,
        startedAtMs: accepted.startedAtMs,
        provider: accepted.route.provider,
        method: accepted.method,
        path: accepted.route.upstreamPath,
        monitoring: accepted.monitoring,
        requestJson: accepted.json,
        keyName: accepted.keyName,
      }, this.deps.config.prices);
      const storeRequest = !accepted.monitoring.omitRequest && accepted.body.length > 0 && accepted.body.length <= this.deps.config.maxBodyBytes;
      await this.deps.recordRequest(record, {
        request: storeRequest ? accepted.body : null,
        response: accepted.monitoring.omitResponse || responseBytes.length === 0 ? null : responseBytes,
      });
    } catch (error) {
      this.deps.logger.error('request log could not be built', { requestId: accepted.id, error: (error as Error)?.stack ?? String(error) });
    }
  }
}

/** Feeds the bytes that go to the client through the usage tap and into the stored copy. */
function capturing(tap: UsageTap, collector: BoundedByteCollector): UsageTap {
  return {
    push(chunk) {
      const out = tap.push(chunk);
      collector.add(out);
      return out;
    },
    end() {
      const out = tap.end();
      collector.add(out);
      return out;
    },
    result: () => tap.result(),
  };
}

function relayOutcome(outcome: RelayOutcome): RequestOutcome {
  if (outcome.kind === 'completed') return 'completed';
  if (outcome.kind === 'cancelled') return 'cancelled';
  return upstreamErrorCode(outcome.error) === 'upstream_timeout' ? 'timeout' : 'upstream_error';
}

function upstreamErrorCode(error: Error): string {
  const code = (error as { code?: string }).code ?? '';
  return /TIMEOUT/i.test(code) || error.name.includes('Timeout') ? 'upstream_timeout' : 'upstream_error';
}

function errorOutcome(error: LookoutError): RequestOutcome {
  if (error.code === 'upstream_timeout') return 'timeout';
  if (error.code === 'upstream_unreachable') return 'upstream_error';
  return 'rejected';
}

/** Names the Helicone and Lookout headers of the request that Lookout accepted without acting on them. */
function ignoredHeadersHeader(headers: HttpRequest['headers']): Record<string, string> {
  const ignored = headersNotActedOn(headers);
  return ignored.length > 0 ? { [IGNORED_HEADERS_HEADER]: ignored.join(', ') } : {};
}

function idHeaders(requestId: string): Record<string, string> {
  return { 'lookout-id': requestId, 'helicone-id': requestId };
}
