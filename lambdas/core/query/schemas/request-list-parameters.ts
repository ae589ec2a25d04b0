import * as z from 'zod';
import { DEFAULT_REQUEST_LIST_LIMIT, MAX_REQUEST_LIST_LIMIT, type RequestFilters, type RequestListQuery } from '../request-list-query.js';
import { booleanParameter, limitParameter, singleValue, statusFilterParameter, textParameter } from './parameter-values.js';
import {
  explicitWindowOf,
  fromNotAfterTo,
  propertyFilterValue,
  queryParameters,
  readPropertyFilters,
  windowParameters,
} from './query-parameters.js';

/** The query of `GET /v1/requests`, in the order its problems are reported. */
export const requestListParameters = queryParameters(
  {
    // Documents the family; each `property.<name>` a client sends is checked by `readPropertyFilters`.
    'property.{name}': propertyFilterValue('property.{name}').meta({
      description: 'Stands for any parameter named property.<name>, e.g. property.environment=production.',
      'x-lookout-parameter-name-pattern': '^property\\.[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
    }),
    userId: textParameter('userId'),
    sessionId: textParameter('sessionId'),
    model: textParameter('model').meta({ description: 'The model id as the client sent it.' }),
    provider: textParameter('provider').meta({ example: 'openai' }),
    status: statusFilterParameter().meta({ description: 'ok: a 2xx/3xx that completed; error: everything else; or one HTTP status code.' }),
    cacheHit: booleanParameter('cacheHit'),
    ...windowParameters,
    limit: limitParameter(DEFAULT_REQUEST_LIST_LIMIT, MAX_REQUEST_LIST_LIMIT),
    cursor: z.preprocess(singleValue('cursor'), z.string()).optional().meta({ description: 'nextCursor of the previous page, unchanged.' }),
  },
  { propertyFilters: true },
).superRefine(fromNotAfterTo);

/** A parsed `GET /v1/requests` query as the pager takes it. */
export function requestListQuery(params: z.output<typeof requestListParameters>): RequestListQuery {
  const filters: RequestFilters = { properties: readPropertyFilters(params).properties };
  if (params.userId !== undefined) filters.userId = params.userId;
  if (params.sessionId !== undefined) filters.sessionId = params.sessionId;
  if (params.model !== undefined) filters.model = params.model;
  if (params.provider !== undefined) filters.provider = params.provider;
  if (params.status !== undefined) filters.status = params.status;
  if (params.cacheHit !== undefined) filters.cacheHit = params.cacheHit;
  return { filters, explicitWindow: explicitWindowOf(params), limit: params.limit, cursor: params.cursor };
}
