import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { requestSummaryJson } from '../../../lambdas/core/query/request-summary-json.js';
import { inMemoryQueryService, queryRequest } from '../../support/in-memory-query-stores.js';
import { logRecord } from '../../support/request-log-records.js';

/** The document the API serves. */
async function queryApiOpenApiDocument(): Promise<unknown> {
  const response = await inMemoryQueryService().service.handle(queryRequest('GET', '/v1/openapi.json', {}));
  assert.equal(response.status, 200);
  return response.body;
}

describe('queryApiOpenApiDocument', () => {
  let document: {
    openapi: string;
    paths: Record<string, unknown>;
    components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> };
  };
  before(async () => {
    document = (await queryApiOpenApiDocument()) as typeof document;
  });

  it('is OpenAPI 3.1 and describes every route', () => {
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(Object.keys(document.paths).sort(), [
      '/healthz',
      '/v1/alerts',
      '/v1/alerts/{id}',
      '/v1/alerts/{id}/history',
      '/v1/alerts/{id}/test',
      '/v1/cache/stats',
      '/v1/metrics',
      '/v1/metrics/dimensions',
      '/v1/openapi.json',
      '/v1/quotas',
      '/v1/quotas/{id}',
      '/v1/quotas/{id}/usage',
      '/v1/requests',
      '/v1/requests/{id}',
      '/v1/sessions',
      '/v1/sessions/{id}',
      '/v1/users',
      '/v1/users/{id}/usage',
    ]);
  });

  it('describes exactly the fields of the request JSON contract', () => {
    const fields = Object.keys(requestSummaryJson(logRecord({ id: 'a', createdAtMs: 0 }))).sort();
    const schema = document.components.schemas.RequestSummary!;
    assert.deepEqual(Object.keys(schema.properties!).sort(), fields);
    assert.deepEqual([...schema.required!].sort(), fields);
  });

  it('resolves every $ref it uses', () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const raw of refs) {
      const path = raw.slice('"$ref":"#/'.length, -1).split('/');
      let node: unknown = document;
      for (const part of path) node = (node as Record<string, unknown>)[part];
      assert.ok(node, `${raw} resolves`);
    }
  });
});
