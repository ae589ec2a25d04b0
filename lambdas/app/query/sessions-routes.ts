import { LookoutError } from '../../core/lookout-error.js';
import { sessionIdPath } from '../../core/query/schemas/path-parameters.js';
import { explicitWindowOf, noQueryParameters } from '../../core/query/schemas/query-parameters.js';
import { sessionListSchema, sessionSchema } from '../../core/query/schemas/session-json-schemas.js';
import { sessionListParameters } from '../../core/query/schemas/session-list-parameters.js';
import { resolveTimeWindow } from '../../core/query/time-window.js';
import { listRecentSessions, readSessionReport } from './log-reports.js';
import type { QueryApp, QueryRouteContext } from './query-route-context.js';
import { adminRoute, errorResponse, jsonResponse } from './route-config.js';

const listSessions = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/sessions',
      operationId: 'listSessions',
      summary: 'The latest sessions in a time range, with their counts',
      description:
        'The log has no index of sessions, so this reads the range newest first, at most ' +
        `${context.reportBounds.sessionList.maxItemsRead} requests per call, and groups those with a session id: the ` +
        'sessions listed are the latest among the requests read, and their counts cover only those requests. complete ' +
        'says whether the whole range was read; when it is false, older sessions may be missing and counts may be low ' +
        '(narrow the range, or read a session whole with GET /v1/sessions/{id}).',
      request: { query: sessionListParameters },
      responses: { 200: jsonResponse('Sessions, the latest request first', sessionListSchema) },
    },
    context.requireAdminKey,
  );

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

/** `GET /v1/sessions` and `GET /v1/sessions/{id}`. */
export function registerSessionRoutes(app: QueryApp, context: QueryRouteContext): void {
  app.openapi(listSessions(context), async (c) => {
    const query = c.req.valid('query');
    const window = resolveTimeWindow(explicitWindowOf(query), context.now(), context.retentionDays);
    const list = await listRecentSessions(
      context.reads,
      { window, limit: query.limit, userId: query.userId },
      context.reportBounds.sessionList,
    );
    return c.json(list, 200);
  });
  app.openapi(getSession(context), async (c) => {
    const sessionId = c.req.valid('param').id;
    const report = await readSessionReport(context.reads, sessionId, context.reportBounds);
    if (!report) throw new LookoutError(404, 'not_found', `No requests logged for session "${sessionId}"`);
    return c.json(report, 200);
  });
}
