import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AlertRequestsScope, alertRequestsUrl } from '../../../lambdas/core/alerts/alert-requests-link.js';
import { requestListParameters, requestListQuery } from '../../../lambdas/core/query/schemas/request-list-parameters.js';
import { parseQuery } from '../query/schemas/parse-query.js';

const TO_MS = Date.parse('2025-06-01T14:20:00.000Z');

function scope(overrides: Partial<AlertRequestsScope> = {}): AlertRequestsScope {
  return {
    metric: 'error_rate',
    filter: { properties: { environment: 'production' } },
    group: null,
    fromMs: TO_MS - 600_000,
    toMs: TO_MS,
    ...overrides,
  };
}

function queryOf(url: string): Record<string, string> {
  const parsed = new URL(url);
  assert.equal(parsed.pathname, '/dashboard/requests');
  const entries = [...parsed.searchParams.entries()];
  assert.equal(new Set(entries.map(([name]) => name)).size, entries.length, 'a parameter is repeated');
  return Object.fromEntries(entries);
}

describe('alertRequestsUrl', () => {
  it('links the error-rate alert to the failed requests of its filter and window', () => {
    const url = alertRequestsUrl('https://lookout.example.com', scope());
    assert.ok(url.startsWith('https://lookout.example.com/dashboard/requests?'));
    assert.deepEqual(queryOf(url), {
      'property.environment': 'production',
      status: 'error',
      from: '2025-06-01T14:10:00.000Z',
      to: '2025-06-01T14:20:00.000Z',
    });
  });

  it('asks for no status on the cost and latency alerts', () => {
    for (const metric of ['cost', 'latency_p95'] as const) {
      assert.deepEqual(queryOf(alertRequestsUrl('https://lookout.example.com/', scope({ metric, fromMs: TO_MS - 86_400_000 }))), {
        'property.environment': 'production',
        from: '2025-05-31T14:20:00.000Z',
        to: '2025-06-01T14:20:00.000Z',
      });
    }
    assert.equal(queryOf(alertRequestsUrl('https://x.example', scope({ metric: 'errors' }))).status, 'error');
    assert.equal(queryOf(alertRequestsUrl('https://x.example', scope({ metric: 'rate_limited' }))).status, '429');
  });

  it('narrows to the group and every filter field /v1/requests takes', () => {
    const url = alertRequestsUrl(
      'https://lookout.example.com/base/',
      scope({
        metric: 'cost',
        filter: { properties: { environment: 'production' }, model: 'gpt-4o', provider: 'openai' },
        group: { by: 'user', value: 'alice@example.com' },
      }),
    );
    assert.ok(url.startsWith('https://lookout.example.com/base/dashboard/requests?'), url);
    assert.deepEqual(queryOf(url.replace('/base', '')), {
      'property.environment': 'production',
      userId: 'alice@example.com',
      model: 'gpt-4o',
      provider: 'openai',
      from: '2025-06-01T14:10:00.000Z',
      to: '2025-06-01T14:20:00.000Z',
    });
    assert.equal(
      queryOf(alertRequestsUrl('https://x.example', scope({ group: { by: 'property:team', value: 'search' } })))['property.team'],
      'search',
    );
    assert.equal(queryOf(alertRequestsUrl('https://x.example', scope({ group: { by: 'model', value: 'o1' } }))).model, 'o1');
  });

  it('leaves out what /v1/requests cannot filter on: the gateway key, no value, the folded (other)', () => {
    for (const group of [
      { by: 'key', value: 'backend' },
      { by: 'user', value: null },
      { by: 'user', value: '(other)' },
    ]) {
      const query = queryOf(alertRequestsUrl('https://x.example', scope({ filter: { key: 'backend' }, group })));
      assert.deepEqual(Object.keys(query), ['status', 'from', 'to']);
    }
  });

  it('encodes hostile values so they parse back exactly', () => {
    const hostile = 'a&b=c #d?e/f+g %41 <script> | ü';
    const query = queryOf(
      alertRequestsUrl('https://x.example', scope({ filter: { properties: { 'feature.name': hostile }, userId: hostile } })),
    );
    assert.equal(query['property.feature.name'], hostile);
    assert.equal(query.userId, hostile);
  });

  it('is a query /v1/requests accepts, meaning the same filter, range and status', () => {
    const url = alertRequestsUrl(
      'https://lookout.example.com',
      scope({ filter: { properties: { environment: 'production' }, model: 'gpt-4o' }, group: { by: 'user', value: 'alice' } }),
    );
    const parsed = requestListQuery(parseQuery(requestListParameters, new URL(url).search.slice(1)));
    assert.deepEqual(parsed.filters, { properties: { environment: 'production' }, userId: 'alice', model: 'gpt-4o', status: 'error' });
    assert.deepEqual(parsed.explicitWindow, { fromMs: TO_MS - 600_000, toMs: TO_MS });
  });
});
