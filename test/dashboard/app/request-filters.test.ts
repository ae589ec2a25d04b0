import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePropertyFilter, queryWithFilters, requestFiltersOf, requestListQuery } from '../../../dashboard/src/app/request-filters.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');

describe("the requests page's filters", () => {
  test("an alert's link is asked of /v1/requests unchanged", () => {
    const link = new URLSearchParams(
      'property.environment=production&userId=alice&status=error&from=2026-12-01T11%3A50%3A00.000Z&to=2026-12-01T12%3A00%3A00.000Z',
    );
    const asked = requestListQuery(link, NOW, 50, null);
    assert.deepEqual(Object.fromEntries(asked), {
      userId: 'alice',
      status: 'error',
      'property.environment': 'production',
      from: '2026-12-01T11:50:00.000Z',
      to: '2026-12-01T12:00:00.000Z',
      limit: '50',
    });
  });

  test("a preset range becomes from and to, and the page's own parameters are not sent", () => {
    const asked = requestListQuery(new URLSearchParams('range=1h&split=model&model=gpt-4o'), NOW, 20, 'c1');
    assert.deepEqual(Object.fromEntries(asked), {
      model: 'gpt-4o',
      from: '2026-12-01T11:00:00.000Z',
      to: '2026-12-01T12:00:00.000Z',
      limit: '20',
      cursor: 'c1',
    });
  });

  test('new filters keep the range and replace the old filters', () => {
    const query = new URLSearchParams('range=7d&userId=bob&property.feature=search');
    const next = queryWithFilters(query, { fixed: { model: 'claude' }, properties: { environment: 'staging' } });
    assert.equal(next.toString(), 'range=7d&model=claude&property.environment=staging');
    assert.deepEqual(requestFiltersOf(query), { fixed: { userId: 'bob' }, properties: { feature: 'search' } });
  });

  test('a property filter is name=value', () => {
    assert.deepEqual(parsePropertyFilter('feature = chat'), ['feature', 'chat']);
    assert.equal(parsePropertyFilter('feature'), null);
    assert.equal(parsePropertyFilter('=chat'), null);
    assert.equal(parsePropertyFilter('feature='), null);
  });
});
