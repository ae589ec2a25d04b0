import { EnvironmentVariable } from '../contract/environment-variables.js';
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
 * per request would bury the local stack's output. `LOOKOUT_GATEWAY_METRICS` (`emf`, `off`)
 * decides instead when it is set.
 */
export function gatewayMetricsFromEnv(env: Env, options: EmfGatewayMetricsOptions): GatewayMetrics {
  const choice = env[EnvironmentVariable.gatewayMetrics];
  if (choice !== undefined && choice !== '' && choice !== 'emf' && choice !== 'off') {
    throw new Error(`${EnvironmentVariable.gatewayMetrics} must be emf or off, got "${choice}"`);
  }
  const emf = choice ? choice === 'emf' : env[LAMBDA_FUNCTION_NAME] !== undefined;
  return emf ? new EmfGatewayMetrics(options) : NO_GATEWAY_METRICS;
}
