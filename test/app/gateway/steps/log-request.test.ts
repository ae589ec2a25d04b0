import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { GatewayContext } from '../../../../lambdas/app/gateway/gateway-context.js';
import { logRequest } from '../../../../lambdas/app/gateway/steps/log-request.js';
import { readMonitoringHeaders } from '../../../../lambdas/app/gateway/steps/read-monitoring-headers.js';
import { resolveRoute } from '../../../../lambdas/app/gateway/steps/resolve-route.js';
import {
  bodyOf,
  contextFor,
  finishedAnswer,
  httpRequest,
  RecordingGatewayMetrics,
  RecordingLogger,
  RequestLogSink,
  runStep,
  testConfig,
} from '../../../support/gateway-fakes.js';

const config = testConfig({ maxBodyBytes: 1_000 });

/** A context as it is when the log step runs: routed, headers read, authenticated. */
async function authenticatedContext(headers: Record<string, string> = {}, body?: string): Promise<GatewayContext> {
  const context = contextFor(httpRequest({ headers, ...(body === undefined ? {} : { body }) }), 'req-1');
  await runStep(resolveRoute(config), context);
  await runStep(readMonitoringHeaders, context);
  context.keyName = 'test-app';
  return context;
}

/** Runs the log step around an inner part that answers with `finished`, settling when `release` is called. */
async function logAround(
  context: GatewayContext,
  sink: RequestLogSink,
  logger = new RecordingLogger(),
  metrics = new RecordingGatewayMetrics(),
) {
  let release!: () => void;
  const delivered = new Promise<void>((resolve) => (release = resolve));
  const step = logRequest({ config, recordRequest: sink.recordRequest, metrics, logger });
  await runStep(step, context, async () => {
    context.json = JSON.parse(context.request.body.toString());
    context.answer(
      { statusCode: 200, headers: {}, body: bodyOf('{"ok":true}') },
      delivered.then(() =>
        finishedAnswer({
          usage: { promptTokens: 3, completionTokens: 2, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, totalTokens: 5 },
        }),
      ),
    );
  });
  return { release, done: () => context.allDone(), logger };
}

describe('log-request step', () => {
  it('stores the request once, only after the answer is over', async () => {
    const sink = new RequestLogSink();
    const context = await authenticatedContext({ 'lookout-user-id': 'alice' });
    const { release, done } = await logAround(context, sink);
    await nextTurn();
    assert.equal(sink.logged.length, 0, 'nothing is stored while the client is still reading');
    release();
    await done();
    assert.equal(sink.logged.length, 1);
    const [{ record, bodies }] = sink.logged as [(typeof sink.logged)[0]];
    assert.equal(record.id, 'req-1');
    assert.equal(record.keyName, 'test-app');
    assert.equal(record.provider, 'openai');
    assert.equal(record.path, '/v1/chat/completions');
    assert.equal(record.status, 200);
    assert.equal(record.userId, 'alice');
    assert.equal(record.totalTokens, 5);
    assert.equal(record.latencyMs, 250);
    assert.equal(bodies.request?.toString(), context.request.body.toString());
    assert.equal(bodies.response?.toString(), '{"ok":true}');
  });

  it('leaves out the bodies the client asked to omit, and does not call an omitted response truncated', async () => {
    const sink = new RequestLogSink();
    const context = await authenticatedContext({ 'lookout-omit-request': 'true', 'lookout-omit-response': 'true' });
    const step = logRequest({
      config,
      recordRequest: sink.recordRequest,
      metrics: new RecordingGatewayMetrics(),
      logger: new RecordingLogger(),
    });
    await runStep(step, context, async () => {
      context.answer({ statusCode: 200, headers: {}, body: bodyOf() }, Promise.resolve(finishedAnswer({ responseBodyTruncated: true })));
    });
    await context.allDone();
    assert.equal(sink.logged[0]?.bodies.request, null);
    assert.equal(sink.logged[0]?.bodies.response, null);
    assert.equal(sink.logged[0]?.record.responseBodyTruncated, false);
  });

  it('does not store a request body over maxBodyBytes', async () => {
    const sink = new RequestLogSink();
    const context = await authenticatedContext({ 'content-type': 'text/plain' }, 'x'.repeat(1_001));
    const step = logRequest({
      config,
      recordRequest: sink.recordRequest,
      metrics: new RecordingGatewayMetrics(),
      logger: new RecordingLogger(),
    });
    await runStep(step, context, async () => {
      context.answer(
        { statusCode: 413, headers: {}, body: bodyOf() },
        Promise.resolve(finishedAnswer({ status: 413, outcome: 'rejected', errorCode: 'payload_too_large' })),
      );
    });
    await context.allDone();
    assert.equal(sink.logged[0]?.bodies.request, null);
    assert.equal(sink.logged[0]?.record.errorCode, 'payload_too_large');
  });

  it('reports a log that cannot be stored to the CloudWatch log instead of failing the request', async () => {
    const sink = new RequestLogSink();
    sink.failWith = new Error('table gone');
    const context = await authenticatedContext();
    const { release, done, logger } = await logAround(context, sink);
    release();
    await done();
    assert.deepEqual(
      logger.lines.map((l) => [l.level, l.message, l.extra.requestId]),
      [['error', 'request log could not be built', 'req-1']],
    );
  });

  it("reports the request's metrics once its log write has ended, with how it ended", async () => {
    const sink = new RequestLogSink();
    sink.writeEndsAs = 'dead_lettered';
    const metrics = new RecordingGatewayMetrics();
    const context = await authenticatedContext();
    const { release, done } = await logAround(context, sink, new RecordingLogger(), metrics);
    await nextTurn();
    assert.equal(metrics.reported.length, 0, 'nothing is reported while the client is still reading');
    release();
    await done();
    assert.deepEqual(
      metrics.reported.map(({ record, logWrite }) => [record.id, record.status, logWrite]),
      [['req-1', 200, 'dead_lettered']],
    );
    assert.equal(metrics.reported[0]?.record, sink.logged[0]?.record, 'the record reported is the one logged');
  });

  it('reports no metrics for a log that could not be built or stored', async () => {
    const sink = new RequestLogSink();
    sink.failWith = new Error('table gone');
    const metrics = new RecordingGatewayMetrics();
    const context = await authenticatedContext();
    const { release, done } = await logAround(context, sink, new RecordingLogger(), metrics);
    release();
    await done();
    assert.deepEqual(metrics.reported, []);
  });
});
