/**
 * The query API Lambda built by `createQueryApiHandler(env)` with an explicit environment, over
 * the DynamoDB Local and S3 server of a local stack: API Gateway events in, proxy results out.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/document-client.js';
import { requestLogItem } from '../../lambdas/adapters/dynamodb/request-log-item.js';
import { createQueryApiHandler } from '../../lambdas/handlers/query-api.js';
import { LOCAL_BODIES_BUCKET, LOCAL_TABLE_NAMES } from '../../lambdas/local/local-stack.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';
import { logRecord } from '../support/request-log-records.js';

const DAY_MS = 86_400_000;

let fx: StackFixture;
let adminKey: string;
let env: Record<string, string>;
const recent = logRecord({ id: randomUUID(), createdAtMs: Date.now() - 60_000, model: 'gpt-4o' });
// Inside the stack's 30-day retention, outside the 2 days the handler's own environment keeps.
const older = logRecord({ id: randomUUID(), createdAtMs: Date.now() - 5 * DAY_MS, model: 'gpt-4o' });

before(async () => {
  fx = await startStackFixture({ retentionDays: 30 });
  adminKey = await fx.createKey('admin');
  env = {
    AWS_REGION: 'local',
    LOOKOUT_DYNAMODB_ENDPOINT: fx.stack.dynamo.endpoint,
    LOOKOUT_KEYS_TABLE: LOCAL_TABLE_NAMES.keys,
    LOOKOUT_REQUEST_LOG_TABLE: LOCAL_TABLE_NAMES.requestLog,
    LOOKOUT_QUOTAS_TABLE: LOCAL_TABLE_NAMES.quotas,
    LOOKOUT_ROLLUPS_TABLE: LOCAL_TABLE_NAMES.rollups,
    LOOKOUT_S3_ENDPOINT: fx.stack.s3.endpoint,
    LOOKOUT_BODIES_BUCKET: LOCAL_BODIES_BUCKET,
    LOOKOUT_RUNTIME_CONFIG: JSON.stringify({ retentionDays: 2 }),
  };
  const documents = createDocumentClient(env);
  for (const record of [recent, older]) {
    await documents.send(new PutCommand({ TableName: LOCAL_TABLE_NAMES.requestLog, Item: requestLogItem(record, 30) }));
  }
});
after(() => fx.close());

/** An API Gateway REST proxy event, repeated query parameters and headers in the multi-value maps. */
function event(
  method: string,
  path: string,
  {
    query = {},
    headers = { 'Lookout-Auth': `Bearer ${adminKey}` },
  }: { query?: Record<string, string[]>; headers?: Record<string, string> } = {},
): APIGatewayProxyEvent {
  const hasQuery = Object.keys(query).length > 0;
  return {
    httpMethod: method,
    path,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: hasQuery ? Object.fromEntries(Object.entries(query).map(([name, values]) => [name, values.at(-1)!])) : null,
    multiValueQueryStringParameters: hasQuery ? query : null,
    body: null,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEvent;
}

async function invoke(handler: ReturnType<typeof createQueryApiHandler>, request: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  return (await handler(request, {} as Context)) as APIGatewayProxyResult;
}

describe('createQueryApiHandler', () => {
  test('maps an event to the router and its JSON answer to a proxy result, reading with its own environment', async () => {
    const handler = createQueryApiHandler(env);
    const result = await invoke(handler, event('GET', '/v1/requests', { query: { model: ['gpt-4o'] } }));
    assert.equal(result.statusCode, 200, result.body);
    assert.equal(result.headers?.['content-type'], 'application/json; charset=utf-8');
    assert.equal(result.headers?.['cache-control'], 'no-store');
    const page = JSON.parse(result.body) as { requests: { id: string }[]; nextCursor: string | null };
    assert.deepEqual(
      page.requests.map((request) => request.id),
      [recent.id],
      "the 2-day retention of env, not the stack's 30 days",
    );
    assert.equal(page.nextCursor, null);

    const detail = await invoke(handler, event('GET', `/v1/requests/${recent.id}`));
    assert.equal(JSON.parse(detail.body).id, recent.id);

    const metrics = await invoke(handler, event('GET', '/v1/metrics', { query: { metric: ['requests'] } }));
    assert.equal(metrics.statusCode, 200, metrics.body);
    assert.equal(JSON.parse(metrics.body).unit, 'requests', 'the rollups table of env is read');
  });

  test('hands repeated query parameters over, so a repeat is refused by name', async () => {
    const result = await invoke(createQueryApiHandler(env), event('GET', '/v1/requests', { query: { model: ['a', 'b'] } }));
    assert.equal(result.statusCode, 400);
    assert.deepEqual(JSON.parse(result.body), { error: { code: 'invalid_parameter', message: 'model may be given only once' } });
  });

  test('answers unknown routes, other methods and missing keys as JSON', async () => {
    const handler = createQueryApiHandler(env);
    const missing = await invoke(handler, event('GET', '/v1/chat/completions'));
    assert.equal(missing.statusCode, 404);
    assert.match(JSON.parse(missing.body).error.message, /<lookout>\/openai\/v1/);

    const post = await invoke(handler, event('POST', '/v1/requests'));
    assert.equal(post.statusCode, 405);
    assert.equal(post.headers?.allow, 'GET');
    assert.equal(JSON.parse(post.body).error.code, 'method_not_allowed');

    const head = await invoke(handler, event('HEAD', '/v1/requests'));
    assert.equal(head.statusCode, 405);
    assert.equal(head.body, '', 'a HEAD answer has no body');

    const noKey = await invoke(handler, event('GET', '/v1/users', { headers: {} }));
    assert.equal(noKey.statusCode, 401);
    assert.equal(JSON.parse(noKey.body).error.code, 'missing_api_key');
  });

  test('answers the dashboard base64-encoded, as API Gateway (binary media type */*) decodes it, and says when it is not built', async () => {
    const handler = createQueryApiHandler({ ...env, LOOKOUT_DASHBOARD_DIR: fx.stack.lambdaEnvironment.LOOKOUT_DASHBOARD_DIR! });
    const page = await invoke(handler, event('GET', '/dashboard/requests', { headers: {} }));
    assert.equal(page.statusCode, 200);
    assert.equal(page.isBase64Encoded, true);
    assert.equal(page.headers?.['content-type'], 'text/html; charset=utf-8');
    assert.match(Buffer.from(page.body, 'base64').toString('utf8'), /src="assets\/app\.js"/);
    const script = await invoke(handler, event('GET', '/dashboard/assets/app.js', { headers: {} }));
    assert.equal(script.statusCode, 200);
    assert.equal(script.isBase64Encoded, true);
    assert.ok(Buffer.from(script.body, 'base64').length > 1000);

    const json = await invoke(handler, event('GET', '/healthz', { headers: {} }));
    assert.equal(json.isBase64Encoded, undefined, 'JSON stays text');
    const unbuilt = await invoke(createQueryApiHandler(env), event('GET', '/dashboard', { headers: {} }));
    assert.equal(unbuilt.statusCode, 503);
    assert.equal(JSON.parse(unbuilt.body).error.code, 'dashboard_not_built');
  });

  test('builds nothing at construction, and parses its config once, on the first invocation', async () => {
    const incomplete = createQueryApiHandler({});
    await assert.rejects(invoke(incomplete, event('GET', '/healthz')), /LOOKOUT_KEYS_TABLE is not set/);

    const changing = { ...env };
    const handler = createQueryApiHandler(changing);
    assert.equal((await invoke(handler, event('GET', '/healthz', { headers: {} }))).statusCode, 200);
    changing.LOOKOUT_RUNTIME_CONFIG = JSON.stringify({ retentionDays: 30 });
    const page = JSON.parse((await invoke(handler, event('GET', '/v1/requests', { query: { model: ['gpt-4o'] } }))).body);
    assert.deepEqual(
      page.requests.map((request: { id: string }) => request.id),
      [recent.id],
      'still the retention of the first invocation',
    );
  });
});
