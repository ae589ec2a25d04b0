import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readMonitoringHeaders } from '../../../../lambdas/app/gateway/steps/read-monitoring-headers.js';
import { resolveRoute } from '../../../../lambdas/app/gateway/steps/resolve-route.js';
import { resolveUpstreamUrl } from '../../../../lambdas/app/gateway/steps/resolve-upstream-url.js';
import type { TargetUrlPolicy } from '../../../../lambdas/core/routing/target-url-policy.js';
import { contextFor, httpRequest, PROVIDER_URL, refusal, runStep, testConfig } from '../../../support/gateway-fakes.js';

const policy: TargetUrlPolicy = { allowlist: ['https://llm.example.com'], trustedOrigins: [PROVIDER_URL] };
const step = resolveUpstreamUrl(policy);

async function routed(path: string, headers: Record<string, string> = {}, rawQuery = '') {
  const context = contextFor(httpRequest({ path, headers, rawQuery }));
  await runStep(resolveRoute(testConfig()), context);
  await runStep(readMonitoringHeaders, context);
  return context;
}

describe('resolve-upstream-url step', () => {
  it("joins a provider's base URL, the path and the client's query; providers may be private", async () => {
    const context = await routed('/openai/v1/chat/completions', {}, 'a=1');
    const { nextCalled } = await runStep(step, context);
    assert.equal(nextCalled, true);
    assert.equal(context.upstreamUrl?.href, `${PROVIDER_URL}/v1/chat/completions?a=1`);
    assert.equal(context.refusePrivateAddresses, false);
  });

  it('sends the generic route to an allowlisted Lookout-Target-URL, refusing private addresses there', async () => {
    const context = await routed('/gateway/v1/chat/completions', { 'lookout-target-url': 'https://llm.example.com/base' });
    await runStep(step, context);
    assert.equal(context.upstreamUrl?.href, 'https://llm.example.com/base/v1/chat/completions');
    assert.equal(context.refusePrivateAddresses, true);
  });

  it('trusts a generic-route target that is a configured provider', async () => {
    const context = await routed('/gateway/v1/models', { 'helicone-target-url': PROVIDER_URL });
    await runStep(step, context);
    assert.equal(context.upstreamUrl?.origin, PROVIDER_URL);
    assert.equal(context.refusePrivateAddresses, false);
  });

  it('needs Lookout-Target-URL on the generic route', async () => {
    const { error, nextCalled } = await refusal(step, await routed('/gateway/v1/chat/completions'));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'missing_header');
    assert.equal(error.message, 'Lookout-Target-URL (or Helicone-Target-URL) is required on the /gateway route.');
    assert.equal(nextCalled, false);
  });

  it('refuses a target off the allowlist, naming its origin', async () => {
    const { error } = await refusal(step, await routed('/gateway/v1/chat', { 'lookout-target-url': 'https://evil.example.net' }));
    assert.equal(error.code, 'target_url_not_allowed');
    assert.match(error.message, /https:\/\/evil\.example\.net is not on the allowlist/);
  });
});
