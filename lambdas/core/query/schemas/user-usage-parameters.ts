import * as z from 'zod';
import { USER_ORDERS } from '../usage-totals.js';
import { limitParameter, singleValue } from './parameter-values.js';
import { fromNotAfterTo, queryParameters, windowParameters } from './query-parameters.js';

const DEFAULT_USER_RANKING_LIMIT = 50;
const MAX_USER_RANKING_LIMIT = 1000;

const orderByParameter = z
  .preprocess(
    singleValue('orderBy'),
    z.enum(USER_ORDERS, { error: (issue) => `orderBy must be cost, requests or errors, got "${String(issue.input)}"` }),
  )
  .default('cost')
  .meta({
    description:
      'Rank by cost (of the priced requests), requests or errors over the range; ties go to more requests, then more cost, then the user id.',
  });

/** The query of `GET /v1/users`. */
export const userRankingParameters = queryParameters({
  ...windowParameters,
  limit: limitParameter(DEFAULT_USER_RANKING_LIMIT, MAX_USER_RANKING_LIMIT),
  orderBy: orderByParameter,
}).superRefine(fromNotAfterTo);

/** The query of `GET /v1/users/{id}/usage`. */
export const userUsageParameters = queryParameters(windowParameters).superRefine(fromNotAfterTo);
