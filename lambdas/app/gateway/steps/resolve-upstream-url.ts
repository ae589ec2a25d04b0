import { LookoutError } from '../../../core/lookout-error.js';
import { joinUpstreamUrl } from '../../../core/routing/gateway-route.js';
import { assertTargetOriginAllowed, mayResolveToPrivateAddress, type TargetUrlPolicy } from '../../../core/routing/target-url-policy.js';
import { required, type GatewayStep } from '../gateway-context.js';

/**
 * The upstream URL: the provider's base URL, or on the generic route `Lookout-Target-URL` if its
 * origin is allowlisted. A target that is no configured provider is marked so the upstream adapter
 * refuses to connect to a private address; that check happens when it connects, not here.
 */
export function resolveUpstreamUrl(policy: TargetUrlPolicy): GatewayStep {
  return (context, next) => {
    const route = required(context.route, 'route');
    const { rawQuery } = context.request;
    if (!route.needsTargetUrl) {
      context.upstreamUrl = joinUpstreamUrl(route.baseUrl!, route.upstreamPath, rawQuery);
      return next();
    }
    const target = required(context.monitoring, 'monitoring').targetUrl;
    if (!target) {
      throw new LookoutError(400, 'missing_header', 'Lookout-Target-URL (or Helicone-Target-URL) is required on the /gateway route.');
    }
    assertTargetOriginAllowed(target, policy);
    context.upstreamUrl = joinUpstreamUrl(target.href, route.upstreamPath, rawQuery);
    context.refusePrivateAddresses = !mayResolveToPrivateAddress(context.upstreamUrl, policy);
    return next();
  };
}
