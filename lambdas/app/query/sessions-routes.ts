import { LookoutError } from '../../core/lookout-error.js';
import { sessionIdPath } from '../../core/query/schemas/path-parameters.js';
import { noQueryParameters } from '../../core/query/schemas/query-parameters.js';
import { sessionSchema } from '../../core/query/schemas/session-json-schemas.js';
import { readSessionReport } from './log-reports.js';
import type { QueryApp, QueryRouteContext } from './query-route-context.js';
import { adminRoute, errorResponse, jsonResponse } from './route-config.js';

const getSession = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/sessions/{id}',
      operationId: 'getSession',
      summary: "A session's requests in order, its tree by Session-Path, and totals",
      request: { params: sessionIdPath, query: noQueryParameters },
      responses: { 200: jsonResponse('The session', sessionSchema), 404: errorResponse('No requests logged for this session') },
    },
    context.requireAdminKey,
  );

/** `GET /v1/sessions/{id}`. */
export function registerSessionRoutes(app: QueryApp, context: QueryRouteContext): void {
  app.openapi(getSession(context), async (c) => {
    const sessionId = c.req.valid('param').id;
    const report = await readSessionReport(context.reads, sessionId, context.reportBounds);
    if (!report) throw new LookoutError(404, 'not_found', `No requests logged for session "${sessionId}"`);
    return c.json(report, 200);
  });
}
