import { wireFormatOf, type EndpointKind } from './registry.js';
import type { PreparedUpstreamRequest } from './wire-format.js';

/**
 * The body to send upstream for a request of this kind: what its wire format's preparation makes
 * of it, else the client's body itself (the very same value, so it can be sent as it came).
 */
export function prepareUpstreamRequest(kind: EndpointKind, body: unknown): PreparedUpstreamRequest {
  return wireFormatOf(kind)?.prepareRequest?.(body) ?? { body, injectedIncludeUsage: false };
}
