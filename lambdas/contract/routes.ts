/**
 * How the API's paths split between the two Lambdas: the query API serves `/v1`, everything
 * under it, `/healthz` and the dashboard (`/dashboard`, everything under it); the gateway serves
 * every other path (`/<provider>/v1/*`, `/gateway/*`, and anything unknown, so that it gets the
 * gateway's JSON 404). API Gateway
 * (lib/constructs/gateway-api.ts) and the local HTTP front (lambdas/local/local-http-server.ts)
 * both route by this.
 */

/** The first segment of the generic route, `/gateway/*`, whose upstream `Lookout-Target-URL` names. */
export const GENERIC_ROUTE_SEGMENT = 'gateway';

/** What the generic route logs as its provider. */
export const GENERIC_ROUTE_PROVIDER = 'custom';

/** The liveness check, answered without a key. */
export const HEALTH_CHECK_PATH = '/healthz';

/** The dashboard's page and its assets (`/dashboard`, `/dashboard/assets/app.js`), served by the query API. */
export const DASHBOARD_SEGMENT = 'dashboard';

/** A top-level path the query API serves: `/<segment>`, and with `withSubpaths` everything under it. */
export interface QueryApiRoute {
  readonly segment: string;
  readonly withSubpaths: boolean;
}

export const QUERY_API_ROUTES: readonly QueryApiRoute[] = [
  { segment: 'v1', withSubpaths: true },
  { segment: HEALTH_CHECK_PATH.slice(1), withSubpaths: false },
  { segment: DASHBOARD_SEGMENT, withSubpaths: true },
];

/** Whether the query API serves `path` (`/v1`, `/v1/...`, `/healthz`, `/dashboard...`); the gateway serves the rest. */
export function isQueryApiPath(path: string): boolean {
  return QUERY_API_ROUTES.some(({ segment, withSubpaths }) => path === `/${segment}` || (withSubpaths && path.startsWith(`/${segment}/`)));
}

/**
 * Names a provider may not take: its route `/<name>/v1/*` would collide with a built-in route, or
 * its logs with the generic route's.
 */
export const RESERVED_PROVIDER_NAMES: readonly string[] = [
  GENERIC_ROUTE_SEGMENT,
  ...QUERY_API_ROUTES.map((route) => route.segment),
  GENERIC_ROUTE_PROVIDER,
];
