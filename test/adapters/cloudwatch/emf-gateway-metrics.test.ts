/**
 * The gateway's metrics adapter: the line Powertools writes to stdout is valid CloudWatch EMF
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
 * with the contract's metrics, the two dimension sets and nothing of the user. Stdout is captured
 * around each synchronous emit, so the test runner's own output is untouched.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmfGatewayMetrics } from '../../../lambdas/adapters/cloudwatch/emf-gateway-metrics.js';
import { gatewayMetricsFromEnv, NO_GATEWAY_METRICS } from '../../../lambdas/adapters/gateway-metrics-from-env.js';
import { GATEWAY_METRICS, GATEWAY_METRICS_NAMESPACE } from '../../../lambdas/contract/gateway-metrics.js';
import type { LoggedRequestRecord } from '../../../lambdas/core/ports/gateway-metrics.js';
import type { RequestLogWrite } from '../../../lambdas/core/request-log/request-log-write.js';
import { logRecord } from '../../support/request-log-records.js';

const PROVIDERS = { openai: {}, anthropic: {} };
const CREATED_AT_MS = Date.now() - 60_000;

/** A streamed request carrying every field that identifies someone, none of which may reach the line. */
function logged(overrides: Partial<LoggedRequestRecord> = {}): LoggedRequestRecord {
  return logRecord({
    id: 'req-secret-id',
    createdAtMs: CREATED_AT_MS,
    stream: true,
    latencyMs: 840,
    ttftMs: 95,
    costNanoUsd: 4_500,
    userId: 'alice@example.com',
    sessionId: 'session-secret',
    sessionPath: '/a/b',
    sessionName: 'checkout',
    promptId: 'prompt-7',
    properties: { environment: 'staging' },
    keyName: 'backend-key',
    ...overrides,
  });
}

interface Warning {
  message: string;
  extra: Record<string, unknown>;
}

/** What `emit` wrote to stdout, line by line; the write is synchronous, so nothing else is caught. */
function stdoutOf(emit: () => void): string[] {
  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(chunk.toString());
    return true;
  }) as typeof process.stdout.write;
  try {
    emit();
  } finally {
    process.stdout.write = write;
  }
  return written.join('').split('\n').filter(Boolean);
}

function emitted(metrics: EmfGatewayMetrics, record: LoggedRequestRecord, logWrite: RequestLogWrite = 'stored') {
  const lines = stdoutOf(() => metrics.requestLogged(record, logWrite));
  assert.equal(lines.length, 1, 'one line per request');
  return JSON.parse(lines[0]!) as Record<string, any>;
}

/** Asserts the EMF specification's rules on one document. */
function assertValidEmf(document: Record<string, any>): void {
  const aws = document._aws;
  assert.equal(typeof aws?.Timestamp, 'number');
  assert.ok(Array.isArray(aws.CloudWatchMetrics) && aws.CloudWatchMetrics.length > 0);
  for (const directive of aws.CloudWatchMetrics) {
    assert.equal(typeof directive.Namespace, 'string');
    assert.ok(directive.Dimensions.length > 0);
    for (const set of directive.Dimensions) {
      assert.ok(set.length >= 1 && set.length <= 30);
      for (const name of set) assert.equal(typeof document[name], 'string', `dimension ${name} has a string value`);
    }
    assert.ok(directive.Metrics.length >= 1 && directive.Metrics.length <= 100);
    for (const metric of directive.Metrics) {
      assert.equal(typeof document[metric.Name], 'number', `metric ${metric.Name} has a number`);
      assert.equal(typeof metric.Unit, 'string');
    }
  }
}

const newMetrics = (warnings: Warning[] = []) =>
  new EmfGatewayMetrics({ providers: PROVIDERS, logger: { warn: (message, extra) => warnings.push({ message, extra }) } });

describe('EmfGatewayMetrics', () => {
  it('writes one valid EMF line in the Lookout namespace, dimensioned by service alone and by service and provider', () => {
    const document = emitted(newMetrics(), logged());
    assertValidEmf(document);
    const [directive] = document._aws.CloudWatchMetrics;
    assert.equal(directive.Namespace, GATEWAY_METRICS_NAMESPACE);
    assert.deepEqual(directive.Dimensions, [['service'], ['service', 'provider']]);
    assert.equal(document.service, 'lookout-gateway');
    assert.equal(document.provider, 'openai');
    assert.equal(document._aws.Timestamp, CREATED_AT_MS, "filed under the request's arrival");
  });

  it("names every contract metric with its unit, and the request's values", () => {
    const document = emitted(newMetrics(), logged(), 'dead_lettered');
    const units = Object.fromEntries(
      document._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string; Unit: string }) => [m.Name, m.Unit]),
    );
    assert.deepEqual(units, Object.fromEntries(Object.values(GATEWAY_METRICS).map(({ name, unit }) => [name, unit])));
    assert.equal(document.Requests, 1);
    assert.equal(document.Errors, 0);
    assert.equal(document.Latency, 840);
    assert.equal(document.TimeToFirstToken, 95);
    assert.equal(document.CostUsd, 0.0000045);
    assert.equal(document.LogWriteFailures, 1);
    assert.equal(document.DeadLetterWrites, 1);
    assert.equal(document.LogRecordsLost, 0);
  });

  it('leaves out the metrics a request has no value for (TTFT when not streamed, cost when unpriced)', () => {
    const document = emitted(newMetrics(), logged({ stream: false, ttftMs: null, costNanoUsd: null, unpriced: true }));
    assertValidEmf(document);
    const names = document._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name);
    assert.ok(!names.includes('TimeToFirstToken') && !names.includes('CostUsd'));
    assert.ok(!('TimeToFirstToken' in document) && !('CostUsd' in document));
  });

  it('carries nothing of the user, key, session, model, properties or request id', () => {
    const line = JSON.stringify(emitted(newMetrics(), logged()));
    for (const secret of ['alice', 'backend-key', 'session-secret', 'checkout', 'gpt-4o', 'staging', 'prompt-7', 'req-secret-id']) {
      assert.ok(!line.includes(secret), `${secret} is not in the EMF line`);
    }
  });

  it('keeps each request to its own line and dimensions, one after another', () => {
    const metrics = newMetrics();
    const first = emitted(metrics, logged({ provider: 'anthropic', status: 500, outcome: 'upstream_error' }));
    const second = emitted(metrics, logged({ provider: 'custom' }));
    assert.deepEqual([first.provider, first.Errors, first.Requests], ['anthropic', 1, 1]);
    assert.deepEqual([second.provider, second.Errors, second.Requests], ['custom', 0, 1]);
    assert.deepEqual(second._aws.CloudWatchMetrics[0].Dimensions, [['service'], ['service', 'provider']]);
  });

  it('puts an unconfigured provider under "other", so the dimension stays bounded', () => {
    assert.equal(emitted(newMetrics(), logged({ provider: 'made-up' })).provider, 'other');
  });

  it('leaves out a value EMF cannot carry (NaN), keeping the line valid', () => {
    const document = emitted(newMetrics(), logged({ latencyMs: Number.NaN }));
    assertValidEmf(document);
    assert.ok(!('Latency' in document));
  });

  it('drops a line it cannot build, with a warning, instead of throwing into the log step', () => {
    const warnings: Warning[] = [];
    const metrics = newMetrics(warnings);
    const broken = logged();
    Object.defineProperty(broken, 'outcome', {
      get() {
        throw new Error('unreadable');
      },
    });
    const lines = stdoutOf(() => metrics.requestLogged(broken, 'stored'));
    assert.deepEqual(lines, []);
    assert.deepEqual(
      warnings.map((w) => [w.message, w.extra.error]),
      [['gateway metrics could not be emitted', 'unreadable']],
    );
    const next = emitted(metrics, logged());
    assert.deepEqual(next._aws.CloudWatchMetrics[0].Dimensions, [['service'], ['service', 'provider']], 'the next request starts clean');
  });

  it('writes nothing when POWERTOOLS_METRICS_DISABLED is true', () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    try {
      const metrics = newMetrics();
      assert.deepEqual(
        stdoutOf(() => metrics.requestLogged(logged(), 'stored')),
        [],
      );
    } finally {
      delete process.env.POWERTOOLS_METRICS_DISABLED;
    }
  });
});

describe('gatewayMetricsFromEnv', () => {
  const options = { providers: PROVIDERS, logger: { warn: () => {} } };

  it('is EMF in Lambda, where the runtime sets AWS_LAMBDA_FUNCTION_NAME', () => {
    assert.ok(
      gatewayMetricsFromEnv({ AWS_LAMBDA_FUNCTION_NAME: 'LookoutStateless-GatewayFunction' }, options) instanceof EmfGatewayMetrics,
    );
  });

  it('is silent anywhere else (npm start, the bench, tests): nothing on stdout', () => {
    const metrics = gatewayMetricsFromEnv({}, options);
    assert.equal(metrics, NO_GATEWAY_METRICS);
    assert.deepEqual(
      stdoutOf(() => metrics.requestLogged(logged(), 'stored')),
      [],
    );
  });
});
