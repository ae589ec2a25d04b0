import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { errorJsonSchema } from '../../core/query/schemas/error-json-schema.js';

/**
 * Route definitions: what the router serves and what the OpenAPI document says come from one
 * `createRoute` each, whose zod schemas also validate the request.
 */

/** A JSON answer, documented by its schema. */
export function jsonResponse<Schema extends z.ZodType>(description: string, schema: Schema) {
  return { description, content: { 'application/json': { schema } } };
}

/** A Lookout error answer (`{"error":{"code","message"}}`). */
export function errorResponse(description: string) {
  return jsonResponse(description, errorJsonSchema);
}

/**
 * A route that needs an admin gateway key. The key is checked before the parameters are
 * validated, so a caller without a key learns nothing but 401.
 */
export function adminRoute<Route extends RouteConfig>(route: Route, requireAdminKey: MiddlewareHandler) {
  return createRoute({
    ...route,
    middleware: [requireAdminKey],
    responses: {
      ...route.responses,
      400: errorResponse('A malformed or unknown query parameter'),
      401: errorResponse('No key, or an invalid or revoked one'),
      403: errorResponse('An app key; this needs an admin key'),
    },
  });
}

/** A route that answers without a key. */
export function publicRoute<Route extends RouteConfig>(route: Route) {
  return createRoute({ ...route, security: [] });
}
