import { limitParameter } from './parameter-values.js';
import { fromNotAfterTo, queryParameters, windowParameters } from './query-parameters.js';

const DEFAULT_USER_RANKING_LIMIT = 50;
const MAX_USER_RANKING_LIMIT = 1000;

/** The query of `GET /v1/users`. */
export const userRankingParameters = queryParameters({
  ...windowParameters,
  limit: limitParameter(DEFAULT_USER_RANKING_LIMIT, MAX_USER_RANKING_LIMIT),
}).superRefine(fromNotAfterTo);

/** The query of `GET /v1/users/{id}/usage`. */
export const userUsageParameters = queryParameters(windowParameters).superRefine(fromNotAfterTo);
