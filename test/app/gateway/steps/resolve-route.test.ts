import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveRoute } from '../../../../lambdas/app/gateway/steps/resolve-route.js';
import { contextFor, httpRequest, PROVIDER_URL, refusal, runStep, testConfig } from '../../../support/gateway-fakes.js';

describe('resolve-route step', () => {
  const step = resolveRoute(testConfig());

  it('routes /<provider>/v1/* to the provider with the path the provider sees', async () => {
    const context = contextFor(httpRequest({ path: '/openai/v1/chat/completions' }));
    const { nextCalled } = await runStep(step, context);
    assert.equal(nextCalled, true);
    assert.deepEqual(context.route, {
      provider: 'openai',
      upstreamPath: '/v1/chat/completions',
      needsTargetUrl: false,
      baseUrl: PROVIDER_URL,
    });
  });

  it('routes /gateway/* to the generic route', async () => {
    const context = contextFor(httpRequest({ path: '/gateway/v1/chat/completions' }));
    await runStep(step, context);
    assert.equal(context.route?.provider, 'custom');
    assert.equal(context.route?.needsTargetUrl, true);
  });

  it('answers an unknown path with a 404 before any later step runs', async () => {
    const { error, nextCalled } = await refusal(step, contextFor(httpRequest({ path: '/nope/v1/chat' })));
    assert.equal(error.status, 404);
    assert.equal(error.code, 'not_found');
    assert.equal(nextCalled, false);
  });
});
