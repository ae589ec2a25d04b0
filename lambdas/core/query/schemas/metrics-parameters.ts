import * as z from 'zod';
import { PROPERTY_NAME_PATTERN } from '../../../contract/property-names.js';
import { FIXED_DIMENSIONS, type Dimension } from '../../rollups/rollup-dimensions.js';
import { METRIC_NAMES, type MetricName } from '../../../contract/metric-names.js';
import { METRIC_DESCRIPTIONS } from '../../rollups/rollup-metrics.js';
import { RESOLUTION_MS, type Resolution } from '../../rollups/rollup-resolution.js';
import { indexedPropertyDimension, seriesDimensions, type NamedDimension } from '../series-dimensions.js';
import type { ExplicitWindow } from '../time-window.js';
import { instantParameter, limitParameter, singleValue, textParameter } from './parameter-values.js';
import { explicitWindowOf, fromNotAfterTo, propertyFilterValue, queryParameters, readPropertyFilters } from './query-parameters.js';

const DEFAULT_METRICS_LIMIT = 10;
const MAX_METRICS_LIMIT = 100;

const METRIC_MESSAGE = `one of ${METRIC_NAMES.join(', ')}`;

const metricParameter = z
  .preprocess(
    singleValue('metric'),
    z.enum(METRIC_NAMES, {
      error: (issue) =>
        issue.input === undefined
          ? `metric is required: ${METRIC_MESSAGE}`
          : `metric must be ${METRIC_MESSAGE}, got "${String(issue.input)}"`,
    }),
  )
  .meta({
    description: `What to chart. ${METRIC_NAMES.map((name) => `${name}: ${METRIC_DESCRIPTIONS[name]}`).join('; ')}.`,
  });

const INTERVALS: Readonly<Record<string, Resolution>> = { '60': 'minute', '3600': 'hour', '86400': 'day' };

const intervalParameter = z
  .preprocess(
    singleValue('interval'),
    z.string().transform((text, ctx): Resolution => {
      const resolution = INTERVALS[text];
      if (resolution) return resolution;
      ctx.addIssue({ code: 'custom', message: `interval must be 60, 3600 or 86400 (seconds: a minute, an hour, a day), got "${text}"` });
      return z.NEVER;
    }),
  )
  .optional()
  .meta({
    description:
      'Seconds per point: 60, 3600 or 86400. Default from the range: up to 6 hours 60, up to 8 days 3600, else 86400. ' +
      'Where minute (or hour) buckets have expired at from, the finest size still kept is used instead.',
    type: 'integer',
    enum: [60, 3600, 86400],
  });

/** A split as given: a fixed dimension, or a property not yet checked against the indexed ones. */
type GroupByText = { dimension: Dimension } | { property: string };

const GROUP_BY_MESSAGE = 'groupBy must be user, model, provider, key or property:<name>';

const groupByParameter = z
  .preprocess(
    singleValue('groupBy'),
    z.string().transform((text, ctx): GroupByText => {
      const fixed = FIXED_DIMENSIONS.find((dimension) => dimension === text);
      if (fixed) return { dimension: fixed };
      const property = text.startsWith('property:') ? text.slice('property:'.length).toLowerCase() : '';
      if (PROPERTY_NAME_PATTERN.test(property)) return { property };
      ctx.addIssue({ code: 'custom', message: `${GROUP_BY_MESSAGE}, got "${text}"` });
      return z.NEVER;
    }),
  )
  .optional()
  .meta({
    description:
      'One series per value of user, model, provider, key (the gateway key name) or an indexed property (property:environment), ' +
      'the limit highest by the metric over the range; requests without a value are the group null.',
  });

/** The query of `GET /v1/metrics`, in the order its problems are reported. */
export const metricsParameters = queryParameters(
  {
    metric: metricParameter,
    from: instantParameter('from').meta({
      description: 'Start (inclusive): ISO-8601 or epoch ms, floored to the interval. Default: 24 hours before to.',
    }),
    to: instantParameter('to').meta({ description: 'End (exclusive): ISO-8601 or epoch ms, ceiled to the interval. Default: now.' }),
    interval: intervalParameter,
    groupBy: groupByParameter,
    limit: limitParameter(DEFAULT_METRICS_LIMIT, MAX_METRICS_LIMIT).meta({
      description: 'With groupBy: how many groups, the highest total first.',
    }),
    userId: textParameter('userId'),
    model: textParameter('model').meta({ description: 'The model id as the client sent it.' }),
    provider: textParameter('provider').meta({ example: 'openai' }),
    key: textParameter('key').meta({ description: 'The name of the gateway key the requests came with.' }),
    'property.{name}': propertyFilterValue('property.{name}').meta({
      description: 'Stands for any parameter named property.<name>, e.g. property.environment=production; the property must be indexed.',
      'x-lookout-parameter-name-pattern': '^property\\.[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
    }),
  },
  { propertyFilters: true },
).superRefine(fromNotAfterTo);

/** A `GET /v1/metrics` query checked against the rollups: its filters and split are series the rollups keep. */
export interface MetricsQuery {
  metric: MetricName;
  explicitWindow: ExplicitWindow;
  /** Null: chosen from the range. */
  interval: Resolution | null;
  groupBy: Dimension | null;
  limit: number;
  /** The filters' values by dimension. */
  filters: ReadonlyMap<Dimension, string>;
  /** The filters' and the split's dimensions, sorted: the series dimensions read. */
  dimensions: readonly Dimension[];
}

/**
 * A parsed `GET /v1/metrics` query as the report reads it. A property not in `indexedProperties`,
 * or more dimensions than one series combines, is a 400 naming the parameter.
 */
export function metricsQuery(params: z.output<typeof metricsParameters>, indexedProperties: readonly string[]): MetricsQuery {
  const filters = new Map<Dimension, string>();
  const named: NamedDimension[] = [];
  const filter = (parameter: string, dimension: Dimension, value: string | undefined) => {
    if (value === undefined) return;
    filters.set(dimension, value);
    named.push({ parameter, dimension });
  };
  filter('userId', 'user', params.userId);
  filter('model', 'model', params.model);
  filter('provider', 'provider', params.provider);
  filter('key', 'key', params.key);
  for (const [property, value] of Object.entries(readPropertyFilters(params).properties)) {
    const parameter = `property.${property}`;
    filter(parameter, indexedPropertyDimension(parameter, property, indexedProperties), value);
  }
  const groupBy = !params.groupBy
    ? null
    : 'dimension' in params.groupBy
      ? params.groupBy.dimension
      : indexedPropertyDimension('groupBy', params.groupBy.property, indexedProperties);
  if (groupBy) named.push({ parameter: 'groupBy', dimension: groupBy });
  return {
    metric: params.metric,
    explicitWindow: explicitWindowOf(params),
    interval: params.interval ?? null,
    groupBy,
    limit: params.limit,
    filters,
    dimensions: seriesDimensions(named),
  };
}

/** An interval in seconds, as the API gives it. */
export function intervalSeconds(resolution: Resolution): number {
  return RESOLUTION_MS[resolution] / 1000;
}
