import type { GatewayKeyAuthenticator } from '../../gateway-key-authenticator.js';
import { required, type GatewayStep } from '../gateway-context.js';

/** Checks the gateway key of `Lookout-Auth`: the proxy routes need an app (or admin) key. */
export function authenticate(authenticator: Pick<GatewayKeyAuthenticator, 'authenticate'>): GatewayStep {
  return async (context, next) => {
    const key = await authenticator.authenticate(required(context.monitoring, 'monitoring').gatewayKey, 'app');
    context.keyName = key.name;
    context.keyHash = key.keyHash;
    return next();
  };
}
