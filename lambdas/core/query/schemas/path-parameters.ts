import * as z from 'zod';
import { pathIdParameter } from './parameter-values.js';

/** `{id}` of `/v1/requests/{id}`. */
export const requestIdPath = z.object({ id: pathIdParameter('request id').meta({ description: 'The Lookout-Id the client got.' }) });

/** `{id}` of `/v1/users/{id}/...`; user ids may contain `/`. */
export const userIdPath = z.object({ id: pathIdParameter('user id') });

/** `{id}` of `/v1/sessions/{id}`. */
export const sessionIdPath = z.object({ id: pathIdParameter('session id') });
