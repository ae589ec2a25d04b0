import * as z from 'zod';
import { METRIC_NAMES, METRIC_UNITS } from '../../../contract/metric-names.js';

const metricPointSchema = z
  .object({
    t: z.iso.datetime().meta({ description: 'The start of the point: its bucket covers [t, t + interval).' }),
    value: z.number().nullable().meta({ description: 'The metric over the requests of the point; null when it has none to measure.' }),
    requests: z.int().meta({ description: 'Requests counted in the point (0 where nothing was).' }),
  })
  .meta({ id: 'MetricPoint' });

const metricSeriesSchema = z
  .object({
    group: z
      .string()
      .nullable()
      .meta({
        description:
          'The groupBy value; null without groupBy, or for the requests without a value. "(other)": the values past the ' +
          "rollups' daily limit of distinct values.",
      }),
    total: z
      .number()
      .nullable()
      .meta({ description: 'The metric over the whole range, from the merged buckets (a percentile of all requests, not of the points).' }),
    requests: z.int().meta({ description: 'Requests counted over the whole range.' }),
    points: z.array(metricPointSchema).meta({ description: 'Every interval of the range, oldest first.' }),
  })
  .meta({ id: 'MetricSeries' });

/** `GET /v1/metrics`. */
export const metricsSchema = z
  .object({
    metric: z.enum(METRIC_NAMES),
    unit: z.enum([...new Set(Object.values(METRIC_UNITS))]).meta({ description: 'percent is 0 to 100.' }),
    from: z.iso.datetime().meta({ description: 'The start of the first point (from floored to the interval).' }),
    to: z.iso.datetime().meta({ description: 'The end of the last point (to ceiled to the interval).' }),
    interval: z.int().meta({ description: 'Seconds per point.' }),
    resolution: z.int().meta({ description: 'Seconds per rollup bucket read: the interval.' }),
    series: z
      .array(metricSeriesSchema)
      .meta({ description: 'One series without groupBy; with it, up to limit groups, the highest total first, nulls last.' }),
  })
  .meta({ id: 'Metrics' });
export type MetricsJson = z.output<typeof metricsSchema>;

/** `GET /v1/metrics/dimensions`. */
export const metricDimensionsSchema = z
  .object({
    dimensions: z.array(z.string()).meta({
      description:
        'What GET /v1/metrics takes as groupBy (and filters by): user, model, provider, key, then property:<name> for each ' +
        'indexed property, in the order of indexedProperties.',
      examples: [['user', 'model', 'provider', 'key', 'property:environment']],
    }),
  })
  .meta({ id: 'MetricDimensions' });
export type MetricDimensionsJson = z.output<typeof metricDimensionsSchema>;
