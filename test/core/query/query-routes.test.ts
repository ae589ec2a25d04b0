import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPublicRoute, matchQueryRoute } from '../../../lambdas/core/query/query-routes.js';

describe('matchQueryRoute', () => {
  it('finds every endpoint and decodes path ids', () => {
    assert.deepEqual(matchQueryRoute('GET', '/healthz'), { kind: 'route', route: { name: 'health' } });
    assert.deepEqual(matchQueryRoute('GET', '/v1/openapi.json'), { kind: 'route', route: { name: 'openapi' } });
    assert.deepEqual(matchQueryRoute('GET', '/v1/requests'), { kind: 'route', route: { name: 'listRequests' } });
    assert.deepEqual(matchQueryRoute('GET', '/v1/requests/'), { kind: 'route', route: { name: 'listRequests' } });
    assert.deepEqual(matchQueryRoute('GET', '/v1/requests/abc-123'), { kind: 'route', route: { name: 'getRequest', requestId: 'abc-123' } });
    assert.deepEqual(matchQueryRoute('GET', '/v1/users'), { kind: 'route', route: { name: 'listUsers' } });
    assert.deepEqual(matchQueryRoute('GET', '/v1/users/alice%40example.com/usage'), { kind: 'route', route: { name: 'userUsage', userId: 'alice@example.com' } });
    assert.deepEqual(matchQueryRoute('GET', '/v1/users/team/alice/usage'), { kind: 'route', route: { name: 'userUsage', userId: 'team/alice' } });
    assert.deepEqual(matchQueryRoute('GET', '/v1/sessions/s%201'), { kind: 'route', route: { name: 'getSession', sessionId: 's 1' } });
  });

  it('answers 404 for unknown paths and 405 for other methods', () => {
    assert.deepEqual(matchQueryRoute('GET', '/v1/metrics'), { kind: 'not_found' });
    assert.deepEqual(matchQueryRoute('GET', '/v1/users/alice'), { kind: 'not_found' });
    assert.deepEqual(matchQueryRoute('GET', '/v2/requests'), { kind: 'not_found' });
    assert.deepEqual(matchQueryRoute('POST', '/v1/requests'), { kind: 'method_not_allowed', allow: ['GET'] });
    assert.deepEqual(matchQueryRoute('DELETE', '/v1/requests/abc'), { kind: 'method_not_allowed', allow: ['GET'] });
  });

  it('leaves only health and the OpenAPI document public', () => {
    assert.equal(isPublicRoute({ name: 'health' }), true);
    assert.equal(isPublicRoute({ name: 'openapi' }), true);
    assert.equal(isPublicRoute({ name: 'listRequests' }), false);
    assert.equal(isPublicRoute({ name: 'getSession', sessionId: 's' }), false);
  });
});
