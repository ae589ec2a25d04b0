import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGatewayPipeline, type GatewayPipeline } from '../../../lambdas/app/gateway/gateway-pipeline.js';
import { LookoutError } from '../../../lambdas/core/lookout-error.js';
import {
  FakeAuthenticator,
  httpRequest,
  PROVIDER_URL,
  readAll,
  RecordingLogger,
  RequestLogSink,
  ScriptedUpstream,
  testConfig,
  type ScriptedUpstreamAnswer,
  RecordingGatewayMetrics,
} from '../../support/gateway-fakes.js';
import { InMemoryQuotaCounters } from '../../support/in-memory-quota-counters.js';
import { InMemoryQuotaStore } from '../../support/in-memory-quota-store.js';
import { InMemoryResponseCache } from '../../support/in-memory-response-cache.js';
import type { HttpRequest } from '../../../lambdas/core/http/http-request.js';

const chatAnswer = JSON.stringify({
  id: 'c1',
  model: 'gpt-4o-mini',
  choices: [],
  usage: { prompt_tokens: 17, completion_tokens: 5, total_tokens: 22 },
});

function pipeline(answer: ScriptedUpstreamAnswer = { chunks: [chatAnswer] }) {
  const upstream = new ScriptedUpstream(answer);
  const sink = new RequestLogSink();
  const logger = new RecordingLogger();
  let ids = 0;
  const handle = createGatewayPipeline({
    config: testConfig({ targetUrlAllowlist: ['https://llm.example.com'] }),
    authenticator: new FakeAuthenticator(),
    upstream,
    responseCache: new InMemoryResponseCache(),
    quotaCounters: new InMemoryQuotaCounters(),
    apiQuotas: new InMemoryQuotaStore(),
    recordRequest: sink.recordRequest,
    metrics: new RecordingGatewayMetrics(),
    logger,
    newRequestId: () => `generated-${++ids}`,
    now: Date.now,
    random: Math.random,
  });
  return { upstream, sink, logger, handle };
}

async function send(handle: GatewayPipeline, request: HttpRequest) {
  const handled = await handle(request);
  const body = (await readAll(handled.response.body as never)).toString();
  await handled.afterResponse;
  return { status: handled.response.statusCode, headers: handled.response.headers, body };
}

describe('the gateway pipeline', () => {
  it('forwards, relays and logs an authenticated request once the client has the last byte', async () => {
    const { handle, sink, upstream } = pipeline();
    const handled = await handle(httpRequest());
    assert.equal(sink.logged.length, 0, 'the answer is handed over before anything is logged');
    assert.equal((await readAll(handled.response.body)).toString(), chatAnswer);
    await handled.afterResponse;
    assert.equal(upstream.requests[0]?.url.href, `${PROVIDER_URL}/v1/chat/completions`);
    assert.equal(sink.logged.length, 1);
    assert.equal(sink.logged[0]?.record.id, 'generated-1');
    assert.equal(sink.logged[0]?.record.outcome, 'completed');
    assert.equal(sink.logged[0]?.record.totalTokens, 22);
    assert.equal(handled.response.headers['lookout-id'], 'generated-1');
  });

  it('answers an unknown route with 404 before it asks for a key, and only warns about it', async () => {
    const { handle, sink, logger, upstream } = pipeline();
    const { status, body } = await send(handle, httpRequest({ path: '/nope/v1/x', headers: { 'lookout-auth': '' } }));
    assert.equal(status, 404);
    assert.equal(JSON.parse(body).error.code, 'not_found');
    assert.equal(sink.logged.length, 0);
    assert.deepEqual(
      logger.lines.map((l) => [l.level, l.message]),
      [['warn', 'request refused before authentication']],
    );
    assert.equal(upstream.requests.length, 0);
  });

  it('refuses a wrong key with 401 and neither forwards nor stores the request', async () => {
    const { handle, sink, upstream } = pipeline();
    const { status, headers, body } = await send(handle, httpRequest({ headers: { 'lookout-auth': 'Bearer lk_wrong' } }));
    assert.equal(status, 401);
    assert.equal(headers['lookout-id'], 'generated-1');
    assert.equal(JSON.parse(body).error.code, 'invalid_api_key');
    assert.equal(upstream.requests.length, 0);
    assert.equal(sink.logged.length, 0);
  });

  it('stores a Lookout error after authentication as a rejected request, with the error it answered', async () => {
    const { handle, sink, logger } = pipeline();
    const { status, body } = await send(handle, httpRequest({ body: '{"model":' }));
    assert.equal(status, 400);
    assert.equal(JSON.parse(body).error.code, 'invalid_json');
    assert.equal(sink.logged.length, 1);
    assert.equal(sink.logged[0]?.record.outcome, 'rejected');
    assert.equal(sink.logged[0]?.record.errorCode, 'invalid_json');
    assert.equal(sink.logged[0]?.bodies.response?.toString(), body);
    assert.deepEqual(logger.lines, []);
  });

  it('stores an unreachable upstream as an upstream error', async () => {
    const { handle, sink } = pipeline({
      error: new LookoutError(502, 'upstream_unreachable', `Could not reach ${PROVIDER_URL}: ECONNREFUSED.`),
    });
    const { status, body } = await send(handle, httpRequest());
    assert.equal(status, 502);
    assert.equal(JSON.parse(body).error.message, `Could not reach ${PROVIDER_URL}: ECONNREFUSED.`);
    assert.equal(sink.logged[0]?.record.outcome, 'upstream_error');
  });

  it('answers an unexpected failure with 500 internal_error, logs its stack and stores the request', async () => {
    const { handle, sink, logger } = pipeline({ error: new TypeError('boom') });
    const { status, body } = await send(handle, httpRequest());
    assert.equal(status, 500);
    assert.equal(JSON.parse(body).error.code, 'internal_error');
    assert.equal(logger.lines[0]?.message, 'gateway request failed');
    assert.equal(sink.logged[0]?.record.errorCode, 'internal_error');
  });

  it('marks a generic-route target for the connect-time private-address guard', async () => {
    const { handle, upstream } = pipeline();
    await send(handle, httpRequest({ path: '/gateway/v1/chat/completions', headers: { 'lookout-target-url': 'https://llm.example.com' } }));
    assert.equal(upstream.requests[0]?.url.href, 'https://llm.example.com/v1/chat/completions');
    assert.equal(upstream.requests[0]?.refusePrivateAddresses, true);
  });

  it('uses Lookout-Request-Id as the id of the answer and the log', async () => {
    const { handle, sink } = pipeline();
    const id = '3f1c9a52-8a44-4c5e-9d55-0f1b2b7f4a10';
    const { headers } = await send(handle, httpRequest({ headers: { 'lookout-request-id': id } }));
    assert.equal(headers['lookout-id'], id);
    assert.equal(headers['helicone-id'], id);
    assert.equal(sink.logged[0]?.record.id, id);
  });
});
