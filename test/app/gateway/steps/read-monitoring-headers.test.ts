import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readMonitoringHeaders } from '../../../../lambdas/app/gateway/steps/read-monitoring-headers.js';
import { APP_KEY, contextFor, httpRequest, refusal, runStep } from '../../../support/gateway-fakes.js';

describe('read-monitoring-headers step', () => {
  it('puts the validated headers on the context and keeps the generated id', async () => {
    const context = contextFor(httpRequest({ headers: { 'lookout-user-id': 'alice', 'helicone-property-team': 'search' } }), 'generated');
    const { nextCalled } = await runStep(readMonitoringHeaders, context);
    assert.equal(nextCalled, true);
    assert.equal(context.monitoring?.gatewayKey, APP_KEY);
    assert.equal(context.monitoring?.userId, 'alice');
    assert.deepEqual(context.monitoring?.properties, { team: 'search' });
    assert.equal(context.id, 'generated');
  });

  it('makes Lookout-Request-Id the request id, lower-cased', async () => {
    const context = contextFor(httpRequest({ headers: { 'lookout-request-id': '3F1C9A52-8A44-4C5E-9D55-0F1B2B7F4A10' } }));
    await runStep(readMonitoringHeaders, context);
    assert.equal(context.id, '3f1c9a52-8a44-4c5e-9d55-0f1b2b7f4a10');
  });

  it('refuses a malformed header with a 400 naming it, before authentication', async () => {
    const { error, nextCalled } = await refusal(
      readMonitoringHeaders,
      contextFor(httpRequest({ headers: { 'lookout-omit-request': 'yes' } })),
    );
    assert.equal(error.status, 400);
    assert.equal(error.code, 'invalid_header');
    assert.match(error.message, /^Lookout-Omit-Request/);
    assert.equal(nextCalled, false);
  });
});
