import * as z from 'zod';
import { PROPERTY_NAME_PATTERN } from '../../../contract/property-names.js';
import { singleValue } from './parameter-values.js';
import { fromNotAfterTo, queryParameters, windowParameters } from './query-parameters.js';

/** How `/v1/cache/stats` splits its totals. */
export type CacheGrouping = { by: 'model' } | { by: 'user' } | { by: 'property'; property: string };

const GROUP_BY_MESSAGE = 'groupBy must be model, user or property:<name>';

const groupByParameter = z
  .preprocess(
    singleValue('groupBy'),
    z.string().transform((text, ctx): CacheGrouping => {
      if (text === 'model' || text === 'user') return { by: text };
      const property = text.startsWith('property:') ? text.slice('property:'.length).toLowerCase() : '';
      if (PROPERTY_NAME_PATTERN.test(property)) return { by: 'property', property };
      ctx.addIssue({ code: 'custom', message: `${GROUP_BY_MESSAGE}, got "${text}"` });
      return z.NEVER;
    }),
  )
  .optional()
  .meta({ description: 'Split the totals by model, by user, or by a custom property (property:feature).' });

/** The query of `GET /v1/cache/stats`. */
export const cacheStatsParameters = queryParameters({ ...windowParameters, groupBy: groupByParameter }).superRefine(fromNotAfterTo);
