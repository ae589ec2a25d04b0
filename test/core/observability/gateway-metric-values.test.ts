import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GATEWAY_METRIC_KEYS } from '../../../lambdas/contract/gateway-metrics.js';
import { gatewayMetricValues, metricsProvider } from '../../../lambdas/core/observability/gateway-metric-values.js';
import type { LoggedRequestRecord } from '../../../lambdas/core/ports/gateway-metrics.js';
import { logRecord } from '../../support/request-log-records.js';

const PROVIDERS = { openai: {}, anthropic: {}, 'my-llm': {} };

/** A completed, priced, non-streamed chat completion of a user in a session, as the gateway logs it. */
function logged(overrides: Partial<LoggedRequestRecord> = {}): LoggedRequestRecord {
  return logRecord({
    id: 'req-1',
    createdAtMs: Date.UTC(2026, 0, 1),
    latencyMs: 840,
    costNanoUsd: 4_500,
    userId: 'alice@example.com',
    sessionId: 'session-1',
    properties: { environment: 'prod' },
    keyName: 'backend',
    ...overrides,
  });
}

const values = (overrides: Partial<LoggedRequestRecord> = {}, logWrite: Parameters<typeof gatewayMetricValues>[1] = 'stored') =>
  gatewayMetricValues(logged(overrides), logWrite, PROVIDERS);

describe('gatewayMetricValues', () => {
  it('counts a completed request once, with its latency and its cost in USD, and nothing else', () => {
    assert.deepEqual(values(), {
      provider: 'openai',
      requests: 1,
      errors: 0,
      gatewayErrors: 0,
      upstreamErrors: 0,
      latency: 840,
      timeToFirstToken: null,
      costUsd: 0.0000045,
      cacheHits: 0,
      rateLimited: 0,
      upstreamRateLimited: 0,
      logWriteFailures: 0,
      deadLetterWrites: 0,
      logRecordsLost: 0,
    });
  });

  it('has a value or null for every metric the contract names, and nothing of the user, key, session or model', () => {
    const all = values();
    assert.deepEqual(Object.keys(all).sort(), ['provider', ...GATEWAY_METRIC_KEYS].sort());
    const text = JSON.stringify(all);
    for (const secret of ['alice', 'backend', 'session-1', 'gpt-4o', 'prod', 'req-1']) assert.ok(!text.includes(secret), secret);
  });

  it('has a TTFT only for a streamed answer', () => {
    assert.equal(values({ stream: true, ttftMs: 120 }).timeToFirstToken, 120);
    assert.equal(values({ stream: false, ttftMs: null }).timeToFirstToken, null);
  });

  it('has no cost for an unpriced request (unknown, not zero), and a zero cost for a cache hit', () => {
    assert.equal(values({ costNanoUsd: null, unpriced: true }).costUsd, null);
    const hit = values({ cacheHit: true, cacheStatus: 'hit', costNanoUsd: 0 });
    assert.equal(hit.costUsd, 0);
    assert.equal(hit.cacheHits, 1);
  });

  it('converts nano-USD to USD', () => {
    assert.equal(values({ costNanoUsd: 2_500_000_000 }).costUsd, 2.5);
  });

  it('counts as an error what /v1/metrics does: anything but a completed 2xx/3xx', () => {
    assert.equal(values({ status: 302 }).errors, 0);
    assert.equal(values({ status: 400, outcome: 'rejected', errorCode: 'invalid_json' }).errors, 1);
    assert.equal(values({ status: 200, outcome: 'cancelled' }).errors, 1, 'a stream the client abandoned');
    assert.equal(values({ status: 500, outcome: 'upstream_error' }).errors, 1);
  });

  it('counts a gateway error only for a 5xx Lookout answered itself', () => {
    assert.equal(values({ status: 500, outcome: 'rejected', errorCode: 'internal_error' }).gatewayErrors, 1);
    assert.equal(values({ status: 503, outcome: 'rejected', rateLimited: true }).gatewayErrors, 1, 'the quota store down');
    assert.equal(values({ status: 413, outcome: 'rejected' }).gatewayErrors, 0, "a client's mistake");
    assert.equal(values({ status: 502, outcome: 'upstream_error' }).gatewayErrors, 0, "the provider's");
  });

  it('counts upstream errors: the provider erring, unreachable or timing out', () => {
    assert.equal(values({ status: 500, outcome: 'upstream_error' }).upstreamErrors, 1);
    assert.equal(values({ status: 502, outcome: 'upstream_error', errorCode: 'upstream_unreachable' }).upstreamErrors, 1);
    assert.equal(values({ status: 504, outcome: 'timeout' }).upstreamErrors, 1);
    assert.equal(values({ status: 500, outcome: 'rejected' }).upstreamErrors, 0);
  });

  it("tells Lookout's rate limits apart from the provider's 429", () => {
    const lookout = values({ status: 429, outcome: 'rejected', rateLimited: true, rateLimitedBy: 'per-user' });
    assert.deepEqual([lookout.rateLimited, lookout.upstreamRateLimited], [1, 0]);
    const provider = values({ status: 429, outcome: 'upstream_error', errorCode: 'rate_limit_exceeded' });
    assert.deepEqual([provider.rateLimited, provider.upstreamRateLimited], [0, 1]);
    const contended = values({ status: 429, outcome: 'rejected', rateLimited: true, errorCode: 'quota_contended' });
    assert.deepEqual([contended.rateLimited, contended.upstreamRateLimited], [1, 0]);
  });

  it('counts how the log write ended: a failure, a dead letter, a record lost', () => {
    const pick = (logWrite: Parameters<typeof gatewayMetricValues>[1]) => {
      const v = values({}, logWrite);
      return [v.logWriteFailures, v.deadLetterWrites, v.logRecordsLost];
    };
    assert.deepEqual(pick('stored'), [0, 0, 0]);
    assert.deepEqual(pick('already_stored'), [0, 0, 0]);
    assert.deepEqual(pick('dead_lettered'), [1, 1, 0]);
    assert.deepEqual(pick('lost'), [1, 0, 1]);
  });
});

describe('metricsProvider', () => {
  it('keeps a configured provider and the generic route, and folds anything else into one value', () => {
    assert.equal(metricsProvider('anthropic', PROVIDERS), 'anthropic');
    assert.equal(metricsProvider('my-llm', PROVIDERS), 'my-llm');
    assert.equal(metricsProvider('custom', PROVIDERS), 'custom');
    assert.equal(metricsProvider('toString', PROVIDERS), 'other');
    assert.equal(metricsProvider('unconfigured', PROVIDERS), 'other');
  });
});
