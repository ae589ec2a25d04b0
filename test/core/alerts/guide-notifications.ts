import type { AlertNotification } from '../../../lambdas/core/alerts/alert-notification.js';

/**
 * Notifications of the monitoring guide's three alerts, as the evaluator would send them: the
 * error rate over 5% in 10 minutes (at least 10 requests), the cost over $100 in a day, and the
 * p95 latency over 10,000 ms in 30 minutes, each on `environment = production`.
 */

export const EVALUATED_AT = '2025-06-01T14:20:00.000Z';

const REQUESTS_URL = 'https://lookout.example.com/dashboard/requests?property.environment=production';

export function errorRateNotification(overrides: Partial<AlertNotification> = {}): AlertNotification {
  return {
    kind: 'triggered',
    ruleId: 'config:Production Error Rate',
    ruleName: 'Production Error Rate',
    severity: 'critical',
    metric: 'error_rate',
    unit: 'percent',
    comparison: 'gt',
    threshold: 5,
    value: (17 / 240) * 100,
    forecast: false,
    windowSeconds: 600,
    requests: 240,
    filter: { properties: { environment: 'production' } },
    group: null,
    breachStartedAt: '2025-06-01T14:02:00.000Z',
    evaluatedAt: EVALUATED_AT,
    contributors: [
      {
        by: 'user',
        top: [
          { value: 'alice', metricValue: 12.5, requests: 80 },
          { value: 'bob', metricValue: 9.1, requests: 44 },
          { value: null, metricValue: 3, requests: 20 },
        ],
      },
      { by: 'model', top: [{ value: 'gpt-4o', metricValue: 8.2, requests: 170 }] },
      { by: 'property:feature', top: [{ value: 'chat', metricValue: 10.4, requests: 96 }] },
      { by: 'property:tier', top: [] },
    ],
    requestsUrl: `${REQUESTS_URL}&status=error`,
    ...overrides,
  };
}

export function costNotification(overrides: Partial<AlertNotification> = {}): AlertNotification {
  return {
    kind: 'triggered',
    ruleId: 'config:Production Cost Spike',
    ruleName: 'Production Cost Spike',
    severity: 'warning',
    metric: 'cost',
    unit: 'usd',
    comparison: 'gt',
    threshold: 100,
    value: 104.2,
    forecast: false,
    windowSeconds: 86_400,
    requests: 12_408,
    filter: { properties: { environment: 'production' } },
    group: null,
    breachStartedAt: '2025-06-01T13:05:00.000Z',
    evaluatedAt: EVALUATED_AT,
    contributors: [
      {
        by: 'user',
        top: [
          { value: 'u-big-spender', metricValue: 61.5, requests: 2_100 },
          { value: 'u-2', metricValue: 12.04, requests: 900 },
        ],
      },
      { by: 'model', top: [{ value: 'gpt-4o', metricValue: 98.1, requests: 8_000 }] },
    ],
    requestsUrl: REQUESTS_URL,
    ...overrides,
  };
}

export function latencyNotification(overrides: Partial<AlertNotification> = {}): AlertNotification {
  return {
    kind: 'triggered',
    ruleId: 'config:High Latency',
    ruleName: 'High Latency',
    severity: 'warning',
    metric: 'latency_p95',
    unit: 'ms',
    comparison: 'gt',
    threshold: 10_000,
    value: 10_250,
    forecast: false,
    windowSeconds: 1_800,
    requests: 512,
    filter: { properties: { environment: 'production' } },
    group: null,
    breachStartedAt: '2025-06-01T14:10:00.000Z',
    evaluatedAt: EVALUATED_AT,
    contributors: [{ by: 'model', top: [{ value: 'o1', metricValue: 31_200, requests: 40 }] }],
    requestsUrl: REQUESTS_URL,
    ...overrides,
  };
}
