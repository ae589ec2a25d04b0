import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forward } from '../../../../lambdas/app/gateway/steps/forward.js';
import { readBody } from '../../../../lambdas/app/gateway/steps/read-body.js';
import { resolveRoute } from '../../../../lambdas/app/gateway/steps/resolve-route.js';
import { LookoutError } from '../../../../lambdas/core/lookout-error.js';
import { contextFor, httpRequest, PROVIDER_URL, runStep, ScriptedUpstream, testConfig } from '../../../support/gateway-fakes.js';

async function forwarded(upstream: ScriptedUpstream, body: unknown, headers: Record<string, string> = {}) {
  const context = contextFor(httpRequest({ headers, body: JSON.stringify(body) }));
  await runStep(resolveRoute(testConfig()), context);
  await runStep(readBody(testConfig()), context);
  context.upstreamUrl = new URL(`${PROVIDER_URL}/v1/chat/completions`);
  const { nextCalled } = await runStep(forward({ upstream, upstreamTimeoutMs: 1_234 }), context);
  return { context, nextCalled, sent: upstream.requests[0]! };
}

describe('forward step', () => {
  it('sends the client request upstream without the Lookout headers, and hands the answer on', async () => {
    const upstream = new ScriptedUpstream({ status: 201 });
    const body = { model: 'gpt-4o-mini', messages: [] };
    const { context, nextCalled, sent } = await forwarded(upstream, body, {
      'lookout-user-id': 'alice',
      'helicone-property-x': 'y',
      'x-custom': '1',
    });
    assert.equal(nextCalled, true);
    assert.equal(sent.url.href, `${PROVIDER_URL}/v1/chat/completions`);
    assert.equal(sent.method, 'POST');
    assert.equal(sent.headers.authorization, 'Bearer sk-provider');
    assert.equal(sent.headers['x-custom'], '1');
    assert.ok(!Object.keys(sent.headers).some((name) => name.startsWith('lookout-') || name.startsWith('helicone-')));
    assert.equal(Buffer.from(sent.body!).toString(), JSON.stringify(body), 'an unchanged body is sent as the client wrote it');
    assert.equal(sent.headersTimeoutMs, 1_234);
    assert.equal(sent.refusePrivateAddresses, false);
    assert.equal(context.forwarded?.response.status, 201);
    assert.equal(context.forwarded?.endpointKind, 'openai.chat');
    assert.equal(context.forwarded?.injectedIncludeUsage, false);
  });

  it('asks a streamed chat completion for its usage and tells the relay so', async () => {
    const upstream = new ScriptedUpstream();
    const { context, sent } = await forwarded(upstream, { model: 'gpt-4o-mini', stream: true, messages: [] });
    assert.deepEqual(JSON.parse(Buffer.from(sent.body!).toString()).stream_options, { include_usage: true });
    assert.equal(context.forwarded?.injectedIncludeUsage, true);
  });

  it('aborts the upstream request through the controller it hands on', async () => {
    const upstream = new ScriptedUpstream();
    const { context, sent } = await forwarded(upstream, {});
    context.forwarded?.abort.abort();
    assert.equal(sent.signal.aborted, true);
  });

  it('lets an upstream failure through for the error mapping', async () => {
    const upstream = new ScriptedUpstream({ error: new LookoutError(502, 'upstream_unreachable', 'Could not reach x.') });
    await assert.rejects(
      forwarded(upstream, {}),
      (error: unknown) => error instanceof LookoutError && error.code === 'upstream_unreachable',
    );
  });
});
