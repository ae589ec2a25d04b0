import { metricDimensionsSchema, metricsSchema } from '../../core/query/schemas/metrics-json-schemas.js';
import { metricsParameters, metricsQuery } from '../../core/query/schemas/metrics-parameters.js';
import { noQueryParameters } from '../../core/query/schemas/query-parameters.js';
import { rollupDimensions } from '../../core/rollups/rollup-dimensions.js';
import { buildMetricsReport, MAX_METRIC_POINTS } from './metrics-report.js';
import type { QueryApp, QueryRouteContext } from './query-route-context.js';
import { adminRoute, jsonResponse } from './route-config.js';

const metrics = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/metrics',
      operationId: 'metrics',
      summary: 'A metric over time, optionally per user, model, provider, key or indexed property',
      description:
        'Answered from the usage rollups alone (minute, hour and day buckets), so its cost follows the points asked for, ' +
        `never the traffic: at most ${MAX_METRIC_POINTS} points, every one present (value null and requests 0 where nothing ` +
        'was counted). The filters and groupBy together name at most two dimensions, and a property among them must be ' +
        'in indexedProperties. total is the metric over the whole range from the merged buckets: a percentile of all the ' +
        "range's requests, within 1%, not an average of the points.",
      request: { query: metricsParameters },
      responses: { 200: jsonResponse('The metric per interval: one series, or one per group with groupBy', metricsSchema) },
    },
    context.requireAdminKey,
  );

const dimensions = (context: QueryRouteContext) =>
  adminRoute(
    {
      method: 'get',
      path: '/v1/metrics/dimensions',
      operationId: 'metricDimensions',
      summary: 'What GET /v1/metrics can split and filter by',
      description:
        'The fixed dimensions and one property:<name> per indexed property (indexedProperties, and the properties config ' +
        'alert rules use): the values groupBy accepts. From the configuration alone; no data is read.',
      request: { query: noQueryParameters },
      responses: { 200: jsonResponse('The dimensions', metricDimensionsSchema) },
    },
    context.requireAdminKey,
  );

/** `GET /v1/metrics` and `GET /v1/metrics/dimensions`. */
export function registerMetricsRoutes(app: QueryApp, context: QueryRouteContext): void {
  app.openapi(dimensions(context), (c) => c.json({ dimensions: rollupDimensions(context.indexedProperties) }, 200));
  app.openapi(metrics(context), async (c) => {
    const query = metricsQuery(c.req.valid('query'), context.indexedProperties);
    return c.json(await buildMetricsReport(query, context.rollups, context.rollupRetention, context.now()), 200);
  });
}
