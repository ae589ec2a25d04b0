import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EmfGatewayMetrics } from '../../lambdas/adapters/cloudwatch/emf-gateway-metrics.js';
import { gatewayMetricsFromEnv, NO_GATEWAY_METRICS } from '../../lambdas/adapters/gateway-metrics-from-env.js';

const options = { providers: { openai: {} }, logger: { warn: () => {} } };

describe("the gateway's metrics for an environment", () => {
  test('EMF in Lambda, nothing elsewhere', () => {
    assert.ok(gatewayMetricsFromEnv({ AWS_LAMBDA_FUNCTION_NAME: 'lookout-gateway' }, options) instanceof EmfGatewayMetrics);
    assert.equal(gatewayMetricsFromEnv({}, options), NO_GATEWAY_METRICS);
  });

  test('LOOKOUT_GATEWAY_METRICS decides when set, and a bad value says what it takes', () => {
    assert.ok(gatewayMetricsFromEnv({ LOOKOUT_GATEWAY_METRICS: 'emf' }, options) instanceof EmfGatewayMetrics);
    assert.equal(gatewayMetricsFromEnv({ LOOKOUT_GATEWAY_METRICS: 'off', AWS_LAMBDA_FUNCTION_NAME: 'x' }, options), NO_GATEWAY_METRICS);
    assert.throws(
      () => gatewayMetricsFromEnv({ LOOKOUT_GATEWAY_METRICS: 'yes' }, options),
      /LOOKOUT_GATEWAY_METRICS must be emf or off, got "yes"/,
    );
  });
});
