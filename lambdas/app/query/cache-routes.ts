import { buildCacheStats } from '../../core/query/cache-stats.js';
import { cacheStatsSchema } from '../../core/query/schemas/cache-stats-json-schemas.js';
import { cacheStatsParameters } from '../../core/query/schemas/cache-stats-parameters.js';
import { explicitWindowOf } from '../../core/query/schemas/query-parameters.js';
import { resolveTimeWindow } from '../../core/query/time-window.js';
import type { QueryApp, QueryRouteContext } from './query-route-context.js';
import { adminRoute, jsonResponse } from './route-config.js';

const cacheStats = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/cache/stats',
      operationId: 'cacheStats',
      summary: 'Response cache hits, misses, hit rate and savings in a time range',
      description:
        'Over the requests that asked for the cache (Cache-Enabled, Cache-Read or Cache-Save). Aggregated from the request log, ' +
        'newest first, reading at most a bounded number of requests; truncated is true when the bound was reached before the ' +
        'start of the window.',
      request: { query: cacheStatsParameters },
      responses: { 200: jsonResponse('Cache totals, and per group with groupBy', cacheStatsSchema) },
    },
    context.requireAdminKey,
  );

/** `GET /v1/cache/stats`. */
export function registerCacheRoutes(app: QueryApp, context: QueryRouteContext): void {
  app.openapi(cacheStats(context), async (c) => {
    const query = c.req.valid('query');
    const window = resolveTimeWindow(explicitWindowOf(query), context.now(), context.retentionDays);
    const { samples, truncated } = await context.reads.readCacheSamples({ window, maxItemsRead: context.reportBounds.maxItemsRead });
    return c.json(
      {
        from: new Date(window.fromMs).toISOString(),
        to: new Date(window.toMs).toISOString(),
        ...buildCacheStats(samples, query.groupBy ?? null),
        truncated,
      },
      200,
    );
  });
}
