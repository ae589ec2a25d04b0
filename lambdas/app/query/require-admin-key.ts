import type { MiddlewareHandler } from 'hono';
import type { GatewayKeyRecord, GatewayKeyRole } from '../../core/auth/gateway-key.js';
import { queryApiKey } from '../../core/query/query-api-key.js';

/** Checks a presented gateway key (`GatewayKeyAuthenticator`). */
export interface QueryAuthenticator {
  authenticate(presentedKey: string | null, needed: GatewayKeyRole): Promise<GatewayKeyRecord>;
}

/** Middleware that lets only admin keys through; the authenticator's 401/403 end the request. */
export function requireAdminKey(authenticator: QueryAuthenticator): MiddlewareHandler {
  return async (c, next) => {
    await authenticator.authenticate(queryApiKey(c.req.header()), 'admin');
    await next();
  };
}
