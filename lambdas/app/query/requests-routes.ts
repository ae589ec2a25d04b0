import { requestIdPath } from '../../core/query/schemas/path-parameters.js';
import { requestDetailSchema, requestListSchema } from '../../core/query/schemas/request-json-schemas.js';
import { requestListParameters, requestListQuery } from '../../core/query/schemas/request-list-parameters.js';
import { noQueryParameters } from '../../core/query/schemas/query-parameters.js';
import type { QueryApp, QueryRouteContext } from './query-route-context.js';
import { readRequestDetail } from './request-detail.js';
import { readRequestPage } from './request-pager.js';
import { adminRoute, errorResponse, jsonResponse } from './route-config.js';

const listRequests = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/requests',
      operationId: 'listRequests',
      summary: 'Logged requests, newest first',
      description:
        'Filters combine with AND. Add property.<name>=<value> (repeatable, one per property; names are case-insensitive) ' +
        'to filter on custom properties, e.g. property.environment=production. Pass nextCursor back as cursor, with the same ' +
        'filters, for the next page; null means there is nothing more. A page may hold fewer than limit requests (even none) ' +
        'while nextCursor is not null: each call reads a bounded number of log items.',
      request: { query: requestListParameters },
      responses: { 200: jsonResponse('A page of requests', requestListSchema) },
    },
    context.requireAdminKey,
  );

const getRequest = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/requests/{id}',
      operationId: 'getRequest',
      summary: 'One request with its request and response bodies',
      request: { params: requestIdPath, query: noQueryParameters },
      responses: { 200: jsonResponse('The request', requestDetailSchema), 404: errorResponse('No request with this id') },
    },
    context.requireAdminKey,
  );

/** `GET /v1/requests` and `GET /v1/requests/{id}`. */
export function registerRequestRoutes(app: QueryApp, context: QueryRouteContext): void {
  app.openapi(listRequests(context), async (c) => {
    const query = requestListQuery(c.req.valid('query'));
    const page = await readRequestPage(context.reads, query, {
      nowMs: context.now(),
      retentionDays: context.retentionDays,
      bounds: context.pagerBounds,
    });
    return c.json(page, 200);
  });
  app.openapi(getRequest(context), async (c) => c.json(await readRequestDetail(context, c.req.valid('param').id), 200));
}
