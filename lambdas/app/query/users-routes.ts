import { userIdPath } from '../../core/query/schemas/path-parameters.js';
import { explicitWindowOf } from '../../core/query/schemas/query-parameters.js';
import { userRankingSchema, userUsageSchema } from '../../core/query/schemas/usage-json-schemas.js';
import { userRankingParameters, userUsageParameters } from '../../core/query/schemas/user-usage-parameters.js';
import { resolveTimeWindow } from '../../core/query/time-window.js';
import { rankUsersByCost, readUserUsage } from './log-reports.js';
import { QuotaCatalog } from './quota-catalog.js';
import { withQuotaUse } from './user-quota-use.js';
import type { QueryApp, QueryRouteContext } from './query-route-context.js';
import { adminRoute, jsonResponse } from './route-config.js';

const listUsers = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/users',
      operationId: 'listUsers',
      summary: 'Top users by cost in a time range',
      description:
        'Aggregated from the request log, newest first, reading at most a bounded number of requests; truncated is true ' +
        'when the bound was reached before the start of the window. Requests without a user id are not counted. Each user ' +
        'also has the user-scoped quotas counting them now, and the abuse flags: overQuota (a quota has nothing left) and ' +
        'flagged (over a quota, or refused by one in the range).',
      request: { query: userRankingParameters },
      responses: { 200: jsonResponse('Users, highest cost first', userRankingSchema) },
    },
    context.requireAdminKey,
  );

const userUsage = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/users/{id}/usage',
      operationId: 'userUsage',
      summary: "One user's requests, errors, tokens and cost in a time range",
      request: { params: userIdPath, query: userUsageParameters },
      responses: { 200: jsonResponse('Usage (all zero when the user made no requests)', userUsageSchema) },
    },
    context.requireAdminKey,
  );

/** `GET /v1/users` and `GET /v1/users/{id}/usage`. */
export function registerUserRoutes(app: QueryApp, context: QueryRouteContext): void {
  const window = (params: Parameters<typeof explicitWindowOf>[0]) =>
    resolveTimeWindow(explicitWindowOf(params), context.now(), context.retentionDays);
  const quotas = new QuotaCatalog(context.configQuotas, context.quotaStore);
  app.openapi(listUsers(context), async (c) => {
    const query = c.req.valid('query');
    const ranking = await rankUsersByCost(context.reads, window(query), query.limit, context.reportBounds);
    const users = await withQuotaUse(ranking.users, await quotas.list(), context.quotaCounters, context.now());
    return c.json({ ...ranking, users }, 200);
  });
  app.openapi(userUsage(context), async (c) => {
    const usage = await readUserUsage(context.reads, c.req.valid('param').id, window(c.req.valid('query')), context.reportBounds);
    return c.json(usage, 200);
  });
}
