import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasItemFilters, indexQueryExpressions, type IndexQuery } from '../../../lambdas/adapters/dynamodb/request-log-expressions.js';

const base: IndexQuery = {
  index: 'byDay',
  partition: '2025-01-02',
  window: { fromMs: 1000, toMs: 2000 },
  newestFirst: true,
  filters: {},
  projection: null,
  startKey: null,
  limit: 10,
};

/** Substitutes placeholders back so assertions read like the expression DynamoDB evaluates. */
function spelled(expression: string | undefined, names: Record<string, string>, values: Record<string, unknown>): string | undefined {
  return expression
    ?.replace(/#n\d+/g, (placeholder) => names[placeholder]!)
    .replace(/:v\d+/g, (placeholder) => JSON.stringify(values[placeholder]));
}

function expressions(query: Partial<IndexQuery>) {
  const built = indexQueryExpressions({ ...base, ...query });
  return {
    key: spelled(built.KeyConditionExpression, built.ExpressionAttributeNames, built.ExpressionAttributeValues),
    filter: spelled(built.FilterExpression, built.ExpressionAttributeNames, built.ExpressionAttributeValues),
    projection: spelled(built.ProjectionExpression, built.ExpressionAttributeNames, built.ExpressionAttributeValues),
    built,
  };
}

describe('indexQueryExpressions', () => {
  it('keys on the partition and the createdAtMs range, to exclusive', () => {
    const { key, filter } = expressions({});
    assert.equal(key, 'day = "2025-01-02" AND createdAtMs BETWEEN 1000 AND 1999');
    assert.equal(filter, undefined);
  });

  it('keys on the whole partition when there is no window', () => {
    assert.equal(expressions({ index: 'bySession', partition: 's1', window: null }).key, 'sessionId = "s1"');
  });

  it('refuses an empty window rather than sending BETWEEN with crossed bounds', () => {
    assert.throws(() => indexQueryExpressions({ ...base, window: { fromMs: 5, toMs: 5 } }), RangeError);
  });

  it('filters on every attribute through placeholders (status, model and day are reserved words)', () => {
    const { filter, built } = expressions({
      filters: { userId: 'u1', model: 'gpt-4o', provider: 'openai', status: 503, cacheHit: true, properties: { 'team.name': 'ml' } },
    });
    assert.equal(
      filter,
      'userId = "u1" AND model = "gpt-4o" AND provider = "openai" AND status = 503 AND cacheHit = true AND properties.team.name = "ml"',
    );
    assert.doesNotMatch(built.FilterExpression!, /status|model|properties/);
    for (const placeholder of Object.keys(built.ExpressionAttributeNames)) assert.match(placeholder, /^#[A-Za-z0-9_]+$/);
  });

  it('defines ok as a completed 2xx/3xx and error as everything else', () => {
    assert.equal(expressions({ filters: { status: 'ok' } }).filter, '(status BETWEEN 200 AND 399 AND outcome = "completed")');
    assert.equal(expressions({ filters: { status: 'error' } }).filter, '(status < 200 OR status > 399 OR outcome <> "completed")');
  });

  it('treats a missing cacheHit as a miss', () => {
    assert.equal(expressions({ filters: { cacheHit: false } }).filter, '(attribute_not_exists(cacheHit) OR cacheHit = false)');
  });

  it('projects attributes when asked', () => {
    const { filter, projection } = expressions({ filters: {}, projection: ['id', 'status', 'userId'] });
    assert.equal(filter, undefined);
    assert.equal(projection, 'id, status, userId');
  });

  it('hasItemFilters tells whether DynamoDB may drop items it read', () => {
    assert.equal(hasItemFilters({}), false);
    assert.equal(hasItemFilters({ properties: {} }), false);
    assert.equal(hasItemFilters({ properties: { a: 'b' } }), true);
    assert.equal(hasItemFilters({ status: 'ok' }), true);
  });
});
