import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { LookoutError } from '../../core/lookout-error.js';
import { proxyRouteHint } from '../../core/query/proxy-route-hint.js';
import { invalidParameterFromIssues } from '../../core/query/schemas/query-parameters.js';
import { registerAlertRoutes } from './alerts-routes.js';
import { registerCacheRoutes } from './cache-routes.js';
import { registerDashboardRoutes } from './dashboard-routes.js';
import { GreedyPathParamRouter } from './greedy-path-param-router.js';
import { registerMetricsRoutes } from './metrics-routes.js';
import type { QueryApp, QueryRouterDependencies } from './query-route-context.js';
import { registerQuotaRoutes } from './quotas-routes.js';
import { registerRequestRoutes } from './requests-routes.js';
import { requireAdminKey } from './require-admin-key.js';
import { registerServiceRoutes } from './service-routes.js';
import { registerSessionRoutes } from './sessions-routes.js';
import { registerUserRoutes } from './users-routes.js';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

/**
 * The query API as a Hono app. Every answer is JSON but the dashboard's page and assets
 * (`dashboard-routes.ts`): an unknown path is a 404 (naming the proxy routes when an SDK's base
 * URL is wrong), another method on a known path a 405 with `Allow`, and a failure a
 * `{"error":{"code","message"}}`; unexpected ones are logged and hidden.
 *
 * A new route is its parameter and JSON schemas in `core/query/schemas`, and an `adminRoute` (or
 * `publicRoute`) with its handler in the file of its group (`requests-routes.ts`, ...; a new group
 * is a new file registered below). The schemas validate the request and write its entry in
 * `/v1/openapi.json`, so nothing it takes or answers goes undocumented.
 */
export function createQueryRouter(deps: QueryRouterDependencies): QueryApp {
  const app = new OpenAPIHono({
    router: new GreedyPathParamRouter(),
    strict: false,
    defaultHook: (result) => {
      if (!result.success) throw invalidParameterFromIssues(result.error.issues);
    },
  });
  app.use(jsonHeaders);
  app.use(knownMethodsOnly(app));
  const context = { ...deps, requireAdminKey: requireAdminKey(deps.authenticator) };
  registerServiceRoutes(app);
  registerRequestRoutes(app, context);
  registerUserRoutes(app, context);
  registerSessionRoutes(app, context);
  registerCacheRoutes(app, context);
  registerMetricsRoutes(app, context);
  registerQuotaRoutes(app, context);
  registerAlertRoutes(app, context);
  registerDashboardRoutes(app, deps.dashboardAssets);
  app.notFound((c) => {
    const hint = proxyRouteHint(c.req.path);
    return errorAnswer(
      c,
      new LookoutError(404, 'not_found', `No endpoint ${c.req.path}; ${hint ?? 'see GET /v1/openapi.json for the API.'}`),
    );
  });
  app.onError((error, c) => {
    if (error instanceof LookoutError) return errorAnswer(c, error);
    deps.logger.error('query API request failed', { path: c.req.path, error: error?.stack ?? String(error) });
    return errorAnswer(c, new LookoutError(500, 'internal_error', 'The query failed unexpectedly; it has been logged.'));
  });
  return app;
}

/** JSON's headers on every answer, except one that names another type (the dashboard's) or a 304, which has no body. */
const jsonHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const type = c.res.headers.get('content-type');
  if (c.res.status === 304 || (type && !type.startsWith('application/json'))) return;
  for (const [name, value] of Object.entries(JSON_HEADERS)) c.res.headers.set(name, value);
};

/**
 * Answers 405 for a method no route of the path declares, before any key or parameter is
 * checked. HEAD included: Hono would answer it from the GET route, and the API never offered it
 * (API Gateway does not strip the body of a HEAD answer).
 */
function knownMethodsOnly(app: QueryApp): MiddlewareHandler {
  let routes: GreedyPathParamRouter<string> | undefined;
  let methods: string[] = [];
  return async (c, next) => {
    if (!routes) {
      // Built on the first request, once every route is registered; middleware is registered for ALL.
      routes = new GreedyPathParamRouter<string>();
      for (const route of app.routes) if (route.method !== 'ALL') routes.add(route.method, route.path, route.method);
      methods = [...new Set(app.routes.map((route) => route.method).filter((method) => method !== 'ALL'))];
    }
    const path = c.req.path.length > 1 && c.req.path.endsWith('/') ? c.req.path.slice(0, -1) : c.req.path;
    const allowed = methods.filter((method) => routes!.match(method, path)[0].length > 0);
    if (allowed.length === 0 || allowed.includes(c.req.method)) return next();
    const allow = allowed.join(', ');
    return errorAnswer(c, new LookoutError(405, 'method_not_allowed', `${c.req.path} accepts ${allow}, not ${c.req.method}`), { allow });
  };
}

function errorAnswer(c: Context, error: LookoutError, headers: Record<string, string> = {}): Response {
  return c.json({ error: { code: error.code, message: error.message } }, error.status as ContentfulStatusCode, headers);
}
