import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readMonitoringHeaders } from '../../../../lambdas/app/gateway/steps/read-monitoring-headers.js';
import { authenticate } from '../../../../lambdas/app/gateway/steps/authenticate.js';
import { APP_KEY, contextFor, FakeAuthenticator, httpRequest, refusal, runStep } from '../../../support/gateway-fakes.js';

async function withHeaders(headers: Record<string, string>) {
  const context = contextFor(httpRequest({ headers }));
  await runStep(readMonitoringHeaders, context);
  return context;
}

describe('authenticate step', () => {
  it('asks for an app key and names the key on the context', async () => {
    const authenticator = new FakeAuthenticator();
    const context = await withHeaders({});
    const { nextCalled } = await runStep(authenticate(authenticator), context);
    assert.equal(nextCalled, true);
    assert.deepEqual(authenticator.seen, [{ key: APP_KEY, needed: 'app' }]);
    assert.equal(context.keyName, 'test-app');
  });

  it('stops a request without a key or with a wrong one, leaving it unauthenticated', async () => {
    for (const [headers, code] of [
      [{ 'lookout-auth': '' }, 'missing_api_key'],
      [{ 'lookout-auth': 'Bearer lk_wrong' }, 'invalid_api_key'],
    ] as const) {
      const context = await withHeaders(headers);
      const { error, nextCalled } = await refusal(authenticate(new FakeAuthenticator()), context);
      assert.equal(error.status, 401);
      assert.equal(error.code, code);
      assert.equal(nextCalled, false);
      assert.equal(context.keyName, undefined);
    }
  });
});
