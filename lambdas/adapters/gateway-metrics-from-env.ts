import type { GatewayMetrics } from '../core/ports/gateway-metrics.js';
import { EmfGatewayMetrics, type EmfGatewayMetricsOptions } from './cloudwatch/emf-gateway-metrics.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Set by the Lambda runtime in every function's environment; absent under `npm start` and in tests. */
const LAMBDA_FUNCTION_NAME = 'AWS_LAMBDA_FUNCTION_NAME';

/** Metrics that go nowhere: `npm start`, the bench's gateway, tests. */
export const NO_GATEWAY_METRICS: GatewayMetrics = { requestLogged: () => {} };

/**
 * The gateway's metrics for an environment: in Lambda (`AWS_LAMBDA_FUNCTION_NAME` set), EMF lines
 * for CloudWatch; anywhere else nothing, since there is no CloudWatch to read them and a JSON line
 * per request would bury the local stack's output.
 */
export function gatewayMetricsFromEnv(env: Env, options: EmfGatewayMetricsOptions): GatewayMetrics {
  return env[LAMBDA_FUNCTION_NAME] ? new EmfGatewayMetrics(options) : NO_GATEWAY_METRICS;
}
