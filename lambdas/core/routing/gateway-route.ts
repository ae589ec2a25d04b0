import { GENERIC_ROUTE_PROVIDER, GENERIC_ROUTE_SEGMENT } from '../../contract/routes.js';
import type { RuntimeConfig } from '../../contract/runtime-config-schema.js';
import { LookoutError } from '../lookout-error.js';

/** Where one gateway request goes: a configured provider, or the generic route's target. */
export interface GatewayRoute {
  /** Provider name (`openai`, `anthropic`, a configured one) or `custom` for the generic route. */
  provider: string;
  /** The path after the route prefix, as the provider sees it (`/v1/chat/completions`). */
  upstreamPath: string;
  /** Set for the generic route: the upstream origin must come from `Lookout-Target-URL`. */
  needsTargetUrl: boolean;
  /** The provider's configured origin (absent for the generic route). */
  baseUrl?: string;
}

export const GENERIC_ROUTE_PREFIX = `/${GENERIC_ROUTE_SEGMENT}`;

// `.`/`..` segments, percent-encoded or split by `\`, which the URL parser resolves when the
// upstream URL is built: `/openai/v1/../../x` would leave the provider's base path and `/v1`.
const DOT_SEGMENT = /(?:^|[\\/])(?:\.|%2e){1,2}(?=$|[\\/])/i;

/**
 * Maps a gateway path to its upstream: `/<provider>/v1/*` for every configured provider and
 * `/gateway/*` for the generic route; anything else is a 404.
 */
export function resolveGatewayRoute(path: string, config: Pick<RuntimeConfig, 'providers'>): GatewayRoute {
  const [, first = '', ...rest] = path.split('/');
  const upstreamPath = `/${rest.join('/')}`;
  if (DOT_SEGMENT.test(path)) throw noRoute(path, config);
  if (`/${first}` === GENERIC_ROUTE_PREFIX && rest.length > 0) {
    return { provider: GENERIC_ROUTE_PROVIDER, upstreamPath, needsTargetUrl: true };
  }
  const provider = Object.hasOwn(config.providers, first) ? config.providers[first] : undefined;
  if (provider && rest[0] === 'v1') {
    return { provider: first, upstreamPath, needsTargetUrl: false, baseUrl: provider.baseUrl };
  }
  throw noRoute(path, config);
}

function noRoute(path: string, config: Pick<RuntimeConfig, 'providers'>): LookoutError {
  return new LookoutError(
    404,
    'not_found',
    `No route for ${path}. Use /<provider>/v1/... (${Object.keys(config.providers).join(', ')}) or ${GENERIC_ROUTE_PREFIX}/... with Lookout-Target-URL.`,
  );
}

/** Joins an origin (which may carry a base path, e.g. `https://host/openai`) and a request path. */
export function joinUpstreamUrl(base: string, upstreamPath: string, rawQuery: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${upstreamPath}`;
  // A query on the configured base (e.g. Azure's `api-version`) is kept; the client's follows it.
  url.search = [url.search.slice(1), rawQuery].filter(Boolean).join('&');
  return url;
}
