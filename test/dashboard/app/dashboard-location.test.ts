import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiBase, dashboardBase, pathOf, routeOf } from '../../../dashboard/src/app/dashboard-location.js';

describe("the dashboard's location", () => {
  test('finds its base under an API stage or at the root', () => {
    assert.equal(dashboardBase('/prod/dashboard/requests'), '/prod/dashboard');
    assert.equal(apiBase('/prod/dashboard'), '/prod/v1');
    assert.equal(dashboardBase('/dashboard'), '/dashboard');
    assert.equal(apiBase('/dashboard'), '/v1');
  });

  test('names the view of each URL', () => {
    const base = '/prod/dashboard';
    assert.deepEqual(routeOf('/prod/dashboard', base), { view: 'overview' });
    assert.deepEqual(routeOf('/prod/dashboard/', base), { view: 'overview' });
    assert.deepEqual(routeOf('/prod/dashboard/requests', base), { view: 'requests', requestId: null });
    assert.deepEqual(routeOf('/prod/dashboard/requests/req_1', base), { view: 'requests', requestId: 'req_1' });
    assert.deepEqual(routeOf('/prod/dashboard/sessions/a%2Fb', base), { view: 'sessions', sessionId: 'a/b' });
    assert.deepEqual(routeOf('/prod/dashboard/alerts/config%3Aerrors', base), { view: 'alerts', alertId: 'config:errors' });
    assert.deepEqual(routeOf('/prod/dashboard/users', base), { view: 'users' });
    assert.deepEqual(routeOf('/prod/dashboard/cache', base), { view: 'cache' });
    assert.deepEqual(routeOf('/prod/dashboard/users/x', base), { view: 'not-found', path: '/users/x' });
    assert.deepEqual(routeOf('/prod/dashboard/nope', base), { view: 'not-found', path: '/nope' });
  });

  test('makes paths with each segment encoded', () => {
    assert.equal(pathOf('/dashboard', 'sessions', 'a/b c'), '/dashboard/sessions/a%2Fb%20c');
    assert.equal(pathOf('/dashboard'), '/dashboard');
  });
});
