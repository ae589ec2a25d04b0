import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GatewayContext } from '../../../../lambdas/app/gateway/gateway-context.js';
import { relayAndTapUsage } from '../../../../lambdas/app/gateway/steps/relay-and-tap-usage.js';
import type { EndpointKind } from '../../../../lambdas/core/providers/registry.js';
import {
  contextFor,
  httpRequest,
  PROVIDER_URL,
  readAll,
  RecordingLogger,
  runStep,
  ScriptedUpstream,
  type ScriptedUpstreamAnswer,
} from '../../../support/gateway-fakes.js';

const usage = { prompt_tokens: 17, completion_tokens: 5, total_tokens: 22 };

async function relayed(
  answer: ScriptedUpstreamAnswer,
  options: { endpointKind?: EndpointKind; injectedIncludeUsage?: boolean; headers?: Record<string, string>; maxBodyBytes?: number } = {},
) {
  const upstream = new ScriptedUpstream(answer);
  const abort = new AbortController();
  const context: GatewayContext = contextFor(httpRequest({ headers: options.headers ?? {} }), 'req-1');
  context.upstreamUrl = new URL(`${PROVIDER_URL}/v1/chat/completions`);
  const response = await upstream.send({
    url: context.upstreamUrl,
    method: 'POST',
    headers: {},
    body: undefined,
    signal: abort.signal,
    headersTimeoutMs: 1_000,
    refusePrivateAddresses: false,
  });
  context.forwarded = {
    response,
    endpointKind: options.endpointKind ?? 'openai.chat',
    injectedIncludeUsage: options.injectedIncludeUsage ?? false,
    abort,
  };
  const logger = new RecordingLogger();
  let now = 5_000;
  const { nextCalled } = await runStep(
    relayAndTapUsage({ maxBodyBytes: options.maxBodyBytes ?? 1_000_000, logger, now: () => now++ }),
    context,
  );
  return { context, nextCalled, abort, logger, upstream };
}

describe('relay-and-tap-usage step', () => {
  it("answers with the upstream's status and headers plus the request id, and ends the pipeline", async () => {
    const { context, nextCalled } = await relayed({
      status: 200,
      headers: { 'x-request-id': 'req_abc', connection: 'keep-alive' },
      chunks: ['{}'],
    });
    assert.equal(nextCalled, false, 'the relay answers; nothing runs after it');
    assert.equal(context.response?.statusCode, 200);
    assert.equal(context.response?.headers['x-request-id'], 'req_abc');
    assert.equal(context.response?.headers.connection, undefined, 'hop-by-hop headers stay behind');
    assert.equal(context.response?.headers['lookout-id'], 'req-1');
    assert.equal(context.response?.headers['helicone-id'], 'req-1');
  });

  it('names the Helicone headers it accepted without acting on them', async () => {
    const { context } = await relayed({ chunks: ['{}'] }, { headers: { 'helicone-retry-enabled': 'true' } });
    assert.equal(context.response?.headers['lookout-ignored-headers'], 'helicone-retry-enabled');
  });

  it('relays the body byte for byte and reports its usage once the client has it all', async () => {
    const json = JSON.stringify({ id: 'c1', model: 'gpt-4o-mini-2024-07-18', choices: [], usage });
    const { context } = await relayed({ chunks: [json.slice(0, 10), json.slice(10)] });
    assert.equal((await readAll(context.response!.body)).toString(), json);
    const finished = await context.finished!;
    assert.equal(finished.outcome, 'completed');
    assert.equal(finished.stream, false);
    assert.equal(finished.usage?.totalTokens, 22);
    assert.equal(finished.reportedModel, 'gpt-4o-mini-2024-07-18');
    assert.equal(finished.responseBytes.toString(), json);
    assert.equal(finished.responseBodyTruncated, false);
  });

  it('takes out of a stream the usage chunk Lookout asked for, still counting it', async () => {
    const content = 'data: {"id":"c1","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hi"}}],"usage":null}\n\n';
    const usageChunk = `data: {"id":"c1","model":"gpt-4o-mini","choices":[],"usage":${JSON.stringify(usage)}}\n\n`;
    const { context } = await relayed(
      { headers: { 'content-type': 'text/event-stream' }, chunks: [content, usageChunk, 'data: [DONE]\n\n'] },
      { injectedIncludeUsage: true },
    );
    const sent = (await readAll(context.response!.body)).toString();
    assert.ok(!sent.includes('usage'), sent);
    assert.ok(sent.includes('"content":"Hi"') && sent.endsWith('data: [DONE]\n\n'), sent);
    const finished = await context.finished!;
    assert.equal(finished.stream, true);
    assert.equal(finished.usage?.promptTokens, 17);
    assert.equal(finished.responseBytes.toString(), sent, 'the stored copy is what the client got');
  });

  it("counts a provider's 4xx/5xx as an upstream error with the provider's code", async () => {
    const { context } = await relayed({ status: 429, chunks: ['{"error":{"message":"slow down","code":"rate_limit_exceeded"}}'] });
    await readAll(context.response!.body);
    const finished = await context.finished!;
    assert.equal(finished.status, 429);
    assert.equal(finished.outcome, 'upstream_error');
    assert.equal(finished.errorCode, 'rate_limit_exceeded');
  });

  it('cuts the stored copy at maxBodyBytes, never what the client gets', async () => {
    const { context } = await relayed({ chunks: ['0123456789', 'abcdef'] }, { maxBodyBytes: 12, endpointKind: 'other' });
    assert.equal((await readAll(context.response!.body)).toString(), '0123456789abcdef');
    const finished = await context.finished!;
    assert.equal(finished.responseBytes.toString(), '0123456789ab');
    assert.equal(finished.responseBodyTruncated, true);
  });

  it('aborts the upstream when the client goes away, and reports the answer cancelled', async () => {
    const { context, abort, upstream } = await relayed({
      headers: { 'content-type': 'text/event-stream' },
      chunks: ['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n'],
    });
    context.response!.body.once('data', () => context.response!.body.destroy());
    const finished = await context.finished!;
    assert.equal(finished.outcome, 'cancelled');
    assert.equal(abort.signal.aborted, true);
    assert.equal(upstream.bodies[0]?.destroyed, true);
  });

  it('warns when the upstream body fails mid-answer', async () => {
    const { context, logger } = await relayed({
      chunks: ['{"id":'],
      bodyError: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    });
    context.response!.body.resume();
    const finished = await context.finished!;
    assert.equal(finished.outcome, 'upstream_error');
    assert.equal(finished.errorCode, 'upstream_error');
    assert.deepEqual(
      logger.lines.map((l) => [l.level, l.message, l.extra.upstream]),
      [['warn', 'upstream body failed mid-answer', PROVIDER_URL]],
    );
  });
});
