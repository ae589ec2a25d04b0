import { buildCacheStats, cacheGroupingDimension } from '../../core/query/cache-stats.js';
import { tiledWindow } from '../../core/query/rollup-window.js';
import { cacheStatsSchema } from '../../core/query/schemas/cache-stats-json-schemas.js';
import { cacheStatsParameters } from '../../core/query/schemas/cache-stats-parameters.js';
import { explicitWindowOf } from '../../core/query/schemas/query-parameters.js';
import { resolveTimeWindow } from '../../core/query/time-window.js';
import { ALL_TRAFFIC } from '../../core/rollups/rollup-series.js';
import type { QueryApp, QueryRouteContext } from './query-route-context.js';
import { mergedBucket, mergedGroups } from './rollup-group-reads.js';
import { adminRoute, jsonResponse } from './route-config.js';

const cacheStats = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/cache/stats',
      operationId: 'cacheStats',
      summary: 'Response cache hits, misses, hit rate and savings in a time range',
      description:
        'Over the requests that asked for the cache (Cache-Enabled, Cache-Read or Cache-Save). From the usage rollups: the ' +
        'range goes out to the boundaries of the finest bucket size still kept at its start (from and to say which range ' +
        'was read). groupBy=property:<name> needs the property in indexedProperties.',
      request: { query: cacheStatsParameters },
      responses: { 200: jsonResponse('Cache totals, and per group with groupBy', cacheStatsSchema) },
    },
    context.requireAdminKey,
  );

/** `GET /v1/cache/stats`. */
export function registerCacheRoutes(app: QueryApp, context: QueryRouteContext): void {
  app.openapi(cacheStats(context), async (c) => {
    const query = c.req.valid('query');
    const dimension = query.groupBy ? cacheGroupingDimension(query.groupBy, context.indexedProperties) : null;
    const nowMs = context.now();
    const { window, tiles } = tiledWindow(
      resolveTimeWindow(explicitWindowOf(query), nowMs, context.retentionDays),
      nowMs,
      context.rollupRetention,
    );
    // Every request counts in each dimension's series (null where it has no value): the groups add up to all traffic.
    const groups = dimension ? await mergedGroups(context.rollups, tiles, [dimension], new Map(), dimension) : null;
    const totals = groups
      ? mergedBucket(groups.values())
      : mergedBucket(await context.rollups.readBuckets(tiles.map((time) => ({ time, series: ALL_TRAFFIC }))));
    return c.json(
      { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString(), ...buildCacheStats(totals, groups) },
      200,
    );
  });
}
