import { isLookoutHeader } from '../../../core/headers/monitoring-headers.js';
import type { Upstream } from '../../../core/ports/upstream.js';
import { upstreamRequestHeaders } from '../../../core/routing/forwarded-headers.js';
import { prepareUpstreamRequest } from '../../../core/providers/prepare-upstream-request.js';
import { classifyEndpoint } from '../../../core/providers/registry.js';
import { required, type GatewayStep } from '../gateway-context.js';

export interface ForwardDependencies {
  upstream: Upstream;
  /** Time allowed until the upstream's response headers arrive. */
  upstreamTimeoutMs: number;
}

/**
 * Sends the request upstream without the Lookout headers, asking a streamed Chat Completion for
 * its usage, and hands the answer on as soon as its headers arrive, its body still streaming.
 */
export function forward(deps: ForwardDependencies): GatewayStep {
  return async (context, next) => {
    const { request } = context;
    const endpointKind = classifyEndpoint(required(context.route, 'route').upstreamPath);
    const prepared = prepareUpstreamRequest(endpointKind, context.json);
    const abort = new AbortController();
    const response = await deps.upstream.send({
      url: required(context.upstreamUrl, 'upstreamUrl'),
      method: request.method,
      headers: upstreamRequestHeaders(request.headers, isLookoutHeader),
      body: prepared.injectedIncludeUsage ? Buffer.from(JSON.stringify(prepared.body)) : request.body,
      signal: abort.signal,
      headersTimeoutMs: deps.upstreamTimeoutMs,
      refusePrivateAddresses: context.refusePrivateAddresses,
    });
    context.forwarded = { response, endpointKind, injectedIncludeUsage: prepared.injectedIncludeUsage, abort };
    return next();
  };
}
