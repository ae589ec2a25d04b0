import { resolveGatewayRoute } from '../../../core/routing/gateway-route.js';
import type { RuntimeConfig } from '../../../contract/runtime-config-schema.js';
import type { GatewayStep } from '../gateway-context.js';

/** Maps the path to a configured provider or the generic route; an unknown path is a 404 before anything else is read. */
export function resolveRoute(config: Pick<RuntimeConfig, 'providers'>): GatewayStep {
  return (context, next) => {
    context.route = resolveGatewayRoute(context.request.path, config);
    return next();
  };
}
