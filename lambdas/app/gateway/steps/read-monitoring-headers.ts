import { parseMonitoringHeaders } from '../../../core/headers/monitoring-headers.js';
import type { GatewayStep } from '../gateway-context.js';

/** Validates the Lookout / Helicone headers (a bad one is a 400 naming it); `Lookout-Request-Id` becomes the request id. */
export const readMonitoringHeaders: GatewayStep = (context, next) => {
  const monitoring = parseMonitoringHeaders(context.request.headers);
  context.monitoring = monitoring;
  if (monitoring.requestId) context.id = monitoring.requestId;
  return next();
};
