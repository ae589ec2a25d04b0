import { userIdPath } from '../../core/query/schemas/path-parameters.js';
import { explicitWindowOf } from '../../core/query/schemas/query-parameters.js';
import { userRankingSchema, userUsageSchema } from '../../core/query/schemas/usage-json-schemas.js';
import { userRankingParameters, userUsageParameters } from '../../core/query/schemas/user-usage-parameters.js';
import { resolveTimeWindow } from '../../core/query/time-window.js';
import { quotaCatalog } from './quota-catalog.js';
import { rankUsers, readUserUsage } from './usage-reports.js';
import { withQuotaUse } from './user-quota-use.js';
import type { QueryApp, QueryRouteContext } from './query-route-context.js';
import { adminRoute, jsonResponse } from './route-config.js';

const listUsers = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/users',
      operationId: 'listUsers',
      summary: 'Top users by cost, requests or errors in a time range',
      description:
        'From the usage rollups: the range goes out to the boundaries of the finest bucket size still kept at its start ' +
        '(from and to say which range was read), and whole hours and days are read as one bucket each. Requests without ' +
        'a user id are not counted; users past the daily limit of distinct values (rollupMaxValuesPerDay) count as the ' +
        'user "(other)". Each user ' +
        'also has the user-scoped quotas counting them now, and the abuse flags: overQuota (a quota has nothing left) and ' +
        'flagged (over a quota, or refused by one in the range).',
      request: { query: userRankingParameters },
      responses: { 200: jsonResponse('Users, highest by orderBy first', userRankingSchema) },
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
      description: "From the user's series in the usage rollups, the range going out to bucket boundaries as for GET /v1/users.",
      request: { params: userIdPath, query: userUsageParameters },
      responses: { 200: jsonResponse('Usage (all zero when the user made no requests)', userUsageSchema) },
    },
    context.requireAdminKey,
  );

/** `GET /v1/users` and `GET /v1/users/{id}/usage`. */
export function registerUserRoutes(app: QueryApp, context: QueryRouteContext): void {
  const quotas = quotaCatalog(context.configQuotas, context.quotaStore);
  const reading = (params: Parameters<typeof explicitWindowOf>[0]) => {
    const nowMs = context.now();
    const window = resolveTimeWindow(explicitWindowOf(params), nowMs, context.retentionDays);
    return { reads: { rollups: context.rollups, retention: context.rollupRetention, nowMs }, window };
  };
  app.openapi(listUsers(context), async (c) => {
    const query = c.req.valid('query');
    const { reads, window } = reading(query);
    const ranking = await rankUsers(reads, window, query.limit, query.orderBy);
    const users = await withQuotaUse(ranking.users, await quotas.list(), context.quotaCounters, reads.nowMs);
    return c.json({ ...ranking, users }, 200);
  });
  app.openapi(userUsage(context), async (c) => {
    const { reads, window } = reading(c.req.valid('query'));
    return c.json(await readUserUsage(reads, c.req.valid('param').id, window), 200);
  });
}
