import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queryApiOpenApiDocument } from '../../../lambdas/core/query/openapi-document.js';
import { requestSummaryJson } from '../../../lambdas/core/request-log/request-log-record.js';
import { logRecord } from '../../support/request-log-records.js';

describe('queryApiOpenApiDocument', () => {
  const document = queryApiOpenApiDocument() as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> } };

  it('is OpenAPI 3.1 and describes every route', () => {
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(Object.keys(document.paths).sort(), [
      '/healthz', '/v1/openapi.json', '/v1/requests', '/v1/requests/{id}', '/v1/sessions/{id}', '/v1/users', '/v1/users/{id}/usage',
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
