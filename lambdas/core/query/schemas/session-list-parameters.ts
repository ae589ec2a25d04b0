import { limitParameter, textParameter } from './parameter-values.js';
import { fromNotAfterTo, queryParameters, windowParameters } from './query-parameters.js';

const DEFAULT_SESSION_LIST_LIMIT = 50;
const MAX_SESSION_LIST_LIMIT = 200;

/** The query of `GET /v1/sessions`. */
export const sessionListParameters = queryParameters({
  ...windowParameters,
  limit: limitParameter(DEFAULT_SESSION_LIST_LIMIT, MAX_SESSION_LIST_LIMIT).meta({ description: 'How many sessions, the latest first.' }),
  userId: textParameter('userId').meta({ description: "Only this user's requests: its sessions, counted over its requests alone." }),
}).superRefine(fromNotAfterTo);
