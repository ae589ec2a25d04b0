import * as z from 'zod';
import { HEALTH_CHECK_PATH } from '../../contract/routes.js';
import type { QueryApp } from './query-route-context.js';
import { jsonResponse, publicRoute } from './route-config.js';

const DOCUMENT_INFO = {
  title: 'Lookout query API',
  version: '1',
  description:
    'Reads the request log of a Lookout gateway. Every /v1 endpoint except this document needs an admin gateway key ' +
    '(an app key gets 403). Errors are JSON {"error":{"code","message"}}; a malformed or unknown query parameter is a ' +
    '400 invalid_parameter whose message names it. Times are ISO-8601 or epoch milliseconds; from is inclusive, to ' +
    'exclusive; windows default to the retention period up to now and never reach further back than the retention.',
};

const health = publicRoute({
  method: 'get',
  path: HEALTH_CHECK_PATH,
  operationId: 'health',
  summary: 'Liveness check',
  responses: { 200: jsonResponse('Up', z.object({ status: z.literal('ok') })) },
});

const openApiDocument = publicRoute({
  method: 'get',
  path: '/v1/openapi.json',
  operationId: 'openapi',
  summary: 'This document',
  responses: { 200: jsonResponse('OpenAPI 3.1 document', z.looseObject({ openapi: z.string() })) },
});

/**
 * `GET /healthz` and `GET /v1/openapi.json`, which answer without a key. The document describes
 * every route registered on `app`, generated from the schemas that validate them.
 */
export function registerServiceRoutes(app: QueryApp): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'lookoutAuth', {
    type: 'apiKey',
    in: 'header',
    name: 'Lookout-Auth',
    description: 'Bearer <admin gateway key>. Helicone-Auth is accepted as an alias.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'Authorization: Bearer <admin gateway key>, as Helicone clients send it.',
  });
  app.openapi(health, (c) => c.json({ status: 'ok' as const }, 200));
  let document: ReturnType<QueryApp['getOpenAPI31Document']> | undefined;
  app.openapi(openApiDocument, (c) => {
    // Built on first request, when every route has been registered.
    document ??= app.getOpenAPI31Document({ openapi: '3.1.0', info: DOCUMENT_INFO, security: [{ lookoutAuth: [] }, { bearerAuth: [] }] });
    return c.json(document, 200);
  });
}
