/**
 * The query API on the local stack (DynamoDB Local, the S3 server, the HTTP front that speaks API
 * Gateway events), over request-log items written the way the gateway writes them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { AlertTable } from '../../lambdas/adapters/dynamodb/alert-table.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/document-client.js';
import { QuotaTable } from '../../lambdas/adapters/dynamodb/quota-table.js';
import { RequestLogTableReader } from '../../lambdas/adapters/dynamodb/request-log-reader.js';
import { BodyBucket } from '../../lambdas/adapters/s3/body-bucket.js';
import { GatewayKeyAuthenticator } from '../../lambdas/app/gateway-key-authenticator.js';
import { DEFAULT_REQUEST_PAGER_BOUNDS, type RequestPagerBounds } from '../../lambdas/app/query/request-pager.js';
import { QueryService } from '../../lambdas/app/query/query-service.js';
import { createQueryApiHandler } from '../../lambdas/handlers/query-api.js';
import { requestLogItem } from '../../lambdas/adapters/dynamodb/request-log-item.js';
import type { RequestLogRecord } from '../../lambdas/core/request-log/request-log-record.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';
import { inlineBody, logRecord } from '../support/request-log-records.js';

const HOUR_MS = 3_600_000;
const RETENTION_DAYS = 30;

let fx: StackFixture;
let adminKey: string;
let appKey: string;
let documents: DynamoDBDocumentClient;
const seeded: RequestLogRecord[] = [];
let seedNow: number;

// 120 requests an hour apart over five-odd UTC days, varied along every filter. Newest first.
function seedRecords(now: number): RequestLogRecord[] {
  const users = ['alice', 'bob', 'carol', null];
  const models = [
    { provider: 'openai', model: 'gpt-4o-mini' },
    { provider: 'openai', model: 'gpt-4o' },
    { provider: 'anthropic', model: 'claude-sonnet-4-6' },
  ];
  const records: RequestLogRecord[] = [];
  for (let i = 0; i < 120; i++) {
    const unpriced = i % 17 === 0;
    const { provider, model } = unpriced ? { provider: 'openai', model: 'mystery-model' } : models[i % 3]!;
    const status = i % 7 === 0 ? 500 : i % 13 === 0 ? 429 : 200;
    const outcome = status === 429 ? 'rejected' : i % 11 === 0 ? 'cancelled' : 'completed';
    records.push(
      logRecord({
        id: randomUUID(),
        createdAtMs: now - 30_000 - i * HOUR_MS,
        provider,
        model,
        status,
        outcome,
        userId: users[i % 4]!,
        sessionId: i % 5 === 0 ? `s-${i % 3}` : null,
        properties: { env: i % 2 === 0 ? 'dev' : 'prod', ...(i % 9 === 0 && { team: 'ml' }) },
        cacheHit: i % 6 === 0,
        promptTokens: 100 + i,
        completionTokens: 10 + i,
        cachedTokens: i % 4,
        totalTokens: 110 + 2 * i,
        costNanoUsd: unpriced ? null : (i + 1) * 1_234_567,
        unpriced,
        latencyMs: 200 + i,
      }),
    );
  }
  return records;
}

// A three-level agent session by one user, in the last hour.
function sessionRecords(now: number): RequestLogRecord[] {
  const at = (minutesAgo: number) => now - minutesAgo * 60_000;
  const common = { userId: 'dave', sessionId: 'trip-42' } as const;
  return [
    logRecord({
      ...common,
      id: randomUUID(),
      createdAtMs: at(50),
      latencyMs: 2_000,
      sessionPath: '/plan',
      sessionName: 'Trip planner',
      costNanoUsd: 10_000_000,
    }),
    logRecord({
      ...common,
      id: randomUUID(),
      createdAtMs: at(40),
      latencyMs: 1_500,
      sessionPath: '/plan/flights',
      costNanoUsd: 20_000_000,
    }),
    logRecord({
      ...common,
      id: randomUUID(),
      createdAtMs: at(30),
      latencyMs: 500,
      sessionPath: '/plan/flights',
      status: 502,
      outcome: 'upstream_error',
      costNanoUsd: null,
      promptTokens: null,
      completionTokens: null,
      cachedTokens: null,
      totalTokens: null,
    }),
    logRecord({ ...common, id: randomUUID(), createdAtMs: at(20), latencyMs: 3_000, sessionPath: '/plan/hotels', costNanoUsd: 30_000_000 }),
    logRecord({ ...common, id: randomUUID(), createdAtMs: at(10), latencyMs: 4_000, sessionPath: '/summary', costNanoUsd: 5_000_000 }),
  ];
}

/**
 * Writes records one at a time, in order, so the log's stream carries them in that order. The
 * rollups keep a bucket's latest start as the last write left it (DynamoDB has no atomic maximum),
 * so the seed is written oldest first, as a gateway logs requests: one by one as they finish.
 */
async function putRecords(records: RequestLogRecord[]): Promise<void> {
  const table = fx.stack.lambdaEnvironment.LOOKOUT_REQUEST_LOG_TABLE!;
  for (const record of records) {
    await documents.send(new PutCommand({ TableName: table, Item: requestLogItem(record, RETENTION_DAYS) }));
  }
}

before(async () => {
  fx = await startStackFixture({ retentionDays: RETENTION_DAYS, indexedProperties: ['env'] });
  adminKey = await fx.createKey('admin');
  appKey = await fx.createKey('app');
  documents = createDocumentClient(fx.stack.lambdaEnvironment);
  seedNow = Date.now();
  seeded.push(...seedRecords(seedNow), ...sessionRecords(seedNow));
  await putRecords([...seeded].sort((a, b) => a.createdAtMs - b.createdAtMs));
});
after(() => fx.close());

interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any;
}

async function api(
  path: string,
  headers: Record<string, string> = { 'Lookout-Auth': `Bearer ${adminKey}` },
  method = 'GET',
): Promise<ApiAnswer> {
  const response = await fetch(`${fx.url}${path}`, { method, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

const newestFirst = (records: RequestLogRecord[]) => [...records].sort((a, b) => b.createdAtMs - a.createdAtMs);
const idsWhere = (predicate: (record: RequestLogRecord) => boolean) => newestFirst(seeded.filter(predicate)).map((record) => record.id);
const isOk = (record: RequestLogRecord) => record.status >= 200 && record.status < 400 && record.outcome === 'completed';

/** Follows nextCursor to the end, checking each page on the way. */
async function listAll(query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = query ? '&' : '';
    const { status, body } = await api(`/v1/requests?${query}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(status, 200, JSON.stringify(body));
    assert.ok(body.requests.length <= limit, `page ${pages} holds at most ${limit}`);
    ids.push(...body.requests.map((request: { id: string }) => request.id));
    cursor = body.nextCursor;
    pages += 1;
    assert.ok(pages < 200, 'pagination ends');
  } while (cursor !== null);
  return { ids, pages };
}

function assertNoDuplicates(ids: string[]): void {
  assert.equal(new Set(ids).size, ids.length, 'no request appears twice');
}

describe('authentication', () => {
  test('an admin key reads; an app key gets 403; no key or a wrong key gets 401', async () => {
    assert.equal((await api('/v1/requests?limit=1')).status, 200);

    const app = await api('/v1/requests', { 'Lookout-Auth': `Bearer ${appKey}` });
    assert.equal(app.status, 403);
    assert.equal(app.body.error.code, 'forbidden');

    const none = await api('/v1/requests', {});
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'missing_api_key');

    const wrong = await api('/v1/users', { 'Lookout-Auth': 'Bearer lk_not-a-real-key' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'invalid_api_key');
  });

  test('every /v1 data endpoint needs the admin key', async () => {
    for (const path of [
      '/v1/requests',
      `/v1/requests/${seeded[0]!.id}`,
      '/v1/users',
      '/v1/users/alice/usage',
      '/v1/sessions',
      '/v1/sessions/trip-42',
      '/v1/metrics/dimensions',
    ]) {
      assert.equal((await api(path, { 'Lookout-Auth': `Bearer ${appKey}` })).status, 403, path);
      assert.equal((await api(path, {})).status, 401, path);
      assert.equal((await api(path)).status, 200, path);
    }
  });

  test('Helicone-Auth and Authorization: Bearer carry the key too', async () => {
    assert.equal((await api('/v1/requests?limit=1', { 'Helicone-Auth': `Bearer ${adminKey}` })).status, 200);
    assert.equal((await api('/v1/requests?limit=1', { Authorization: `Bearer ${adminKey}` })).status, 200);
    assert.equal((await api('/v1/requests?limit=1', { Authorization: `Bearer ${appKey}` })).status, 403);
  });

  test('a caller without a key learns nothing about its parameters', async () => {
    assert.equal((await api('/v1/requests?limit=0', {})).status, 401);
  });
});

describe('routes', () => {
  test('GET /healthz answers without a key, from the local front and from the handler itself', async () => {
    const local = await api('/healthz', {});
    assert.deepEqual([local.status, local.body], [200, { status: 'ok' }]);
    // In AWS, API Gateway sends /healthz to the query Lambda; locally the HTTP front answers it.
    const handler = createQueryApiHandler(fx.stack.lambdaEnvironment);
    const event = {
      httpMethod: 'GET',
      path: '/healthz',
      headers: {},
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      body: null,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEvent;
    const result = (await handler(event, {} as Context)) as APIGatewayProxyResult;
    assert.equal(result.statusCode, 200);
    assert.deepEqual(JSON.parse(result.body), { status: 'ok' });
  });

  test('unknown routes are a JSON 404 and other methods a JSON 405', async () => {
    const missing = await api('/v1/nothing-here');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not_found');
    const post = await api('/v1/requests', { 'Lookout-Auth': `Bearer ${adminKey}` }, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.body.error.code, 'method_not_allowed');
    assert.equal(post.headers.get('allow'), 'GET');
  });

  test('GET /v1/openapi.json is an OpenAPI 3.1 document naming every path', async () => {
    const { status, headers, body } = await api('/v1/openapi.json', {});
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /application\/json/);
    assert.equal(body.openapi, '3.1.0');
    for (const path of [
      '/healthz',
      '/v1/openapi.json',
      '/v1/requests',
      '/v1/requests/{id}',
      '/v1/users',
      '/v1/users/{id}/usage',
      '/v1/sessions',
      '/v1/sessions/{id}',
      '/v1/metrics/dimensions',
    ]) {
      assert.ok(body.paths[path]?.get, `documents GET ${path}`);
    }
    assert.ok(body.components.schemas.RequestSummary.properties.costUsd);
  });
});

describe('GET /v1/requests', () => {
  test('lists every request newest first in the fixed JSON contract', async () => {
    const { body } = await api('/v1/requests?limit=1000');
    assert.deepEqual(
      body.requests.map((request: { id: string }) => request.id),
      idsWhere(() => true),
    );
    assert.equal(body.nextCursor, null);
    const newest = body.requests[0];
    const record = newestFirst(seeded)[0]!;
    for (const field of [
      'id',
      'createdAt',
      'provider',
      'model',
      'path',
      'status',
      'stream',
      'latencyMs',
      'ttftMs',
      'promptTokens',
      'completionTokens',
      'cachedTokens',
      'totalTokens',
      'costUsd',
      'unpriced',
      'userId',
      'sessionId',
      'sessionPath',
      'sessionName',
      'properties',
      'cacheHit',
      'rateLimited',
    ]) {
      assert.ok(field in newest, `has ${field}`);
    }
    assert.equal(newest.createdAt, new Date(record.createdAtMs).toISOString());
    assert.equal(newest.costUsd, record.costNanoUsd === null ? null : record.costNanoUsd / 1e9);
  });

  test('defaults to 50 requests', async () => {
    const { body } = await api('/v1/requests');
    assert.equal(body.requests.length, 50);
    assert.equal(typeof body.nextCursor, 'string');
  });

  const filters: [string, (record: RequestLogRecord) => boolean][] = [
    ['userId=alice', (r) => r.userId === 'alice'],
    ['sessionId=s-1', (r) => r.sessionId === 's-1'],
    ['sessionId=trip-42&userId=dave', (r) => r.sessionId === 'trip-42'],
    ['sessionId=s-0&userId=bob', (r) => r.sessionId === 's-0' && r.userId === 'bob'],
    ['model=gpt-4o', (r) => r.model === 'gpt-4o'],
    ['provider=anthropic', (r) => r.provider === 'anthropic'],
    ['status=ok', isOk],
    ['status=error', (r) => !isOk(r)],
    ['status=500', (r) => r.status === 500],
    ['status=429', (r) => r.status === 429],
    ['property.env=prod', (r) => r.properties.env === 'prod'],
    ['property.ENV=dev', (r) => r.properties.env === 'dev'],
    ['property.env=prod&property.team=ml', (r) => r.properties.env === 'prod' && r.properties.team === 'ml'],
    ['property.env=staging', () => false],
    ['cacheHit=true', (r) => r.cacheHit],
    ['cacheHit=false', (r) => !r.cacheHit],
    ['userId=carol&model=claude-sonnet-4-6&status=ok', (r) => r.userId === 'carol' && r.model === 'claude-sonnet-4-6' && isOk(r)],
    ['userId=nobody', () => false],
  ];
  for (const [query, predicate] of filters) {
    test(`filters ${query}`, async () => {
      const expected = idsWhere(predicate);
      const { status, body } = await api(`/v1/requests?${query}&limit=1000`);
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(
        body.requests.map((request: { id: string }) => request.id),
        expected,
      );
      assert.equal(body.nextCursor, null);
    });
  }

  test('filters by time: from inclusive, to exclusive, ISO-8601 or epoch milliseconds', async () => {
    const ordered = newestFirst(seeded);
    const to = ordered[10]!.createdAtMs;
    const from = ordered[40]!.createdAtMs;
    const expected = idsWhere((r) => r.createdAtMs >= from && r.createdAtMs < to);
    assert.equal(expected[0], ordered[11]!.id);
    assert.equal(expected.at(-1), ordered[40]!.id);
    for (const query of [`from=${from}&to=${to}`, `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`]) {
      const { body } = await api(`/v1/requests?${query}&limit=1000`);
      assert.deepEqual(
        body.requests.map((request: { id: string }) => request.id),
        expected,
        query,
      );
    }
    const userWindow = await api(`/v1/requests?userId=bob&from=${from}&to=${to}&limit=1000`);
    assert.deepEqual(
      userWindow.body.requests.map((request: { id: string }) => request.id),
      idsWhere((r) => r.userId === 'bob' && r.createdAtMs >= from && r.createdAtMs < to),
    );
  });

  test('pages across days with no duplicates and no gaps', async () => {
    const expected = idsWhere(() => true);
    const { ids, pages } = await listAll('', 7);
    assertNoDuplicates(ids);
    assert.deepEqual(ids, expected);
    assert.ok(pages >= Math.ceil(expected.length / 7));
  });

  test('pages with a filter that skips most items', async () => {
    const query = 'property.team=ml&status=error';
    const expected = idsWhere((r) => r.properties.team === 'ml' && !isOk(r));
    assert.ok(expected.length >= 3 && expected.length < 10, `a sparse filter (${expected.length} matches)`);
    const { ids } = await listAll(query, 2);
    assertNoDuplicates(ids);
    assert.deepEqual(ids, expected);
  });

  test('pages through a user, a session and a time window', async () => {
    const ordered = newestFirst(seeded);
    const window = `from=${ordered[90]!.createdAtMs}&to=${ordered[5]!.createdAtMs}`;
    const cases: [string, string[]][] = [
      ['userId=alice', idsWhere((r) => r.userId === 'alice')],
      ['userId=alice&cacheHit=false&model=gpt-4o-mini', idsWhere((r) => r.userId === 'alice' && !r.cacheHit && r.model === 'gpt-4o-mini')],
      ['sessionId=s-2', idsWhere((r) => r.sessionId === 's-2')],
      [window, idsWhere((r) => r.createdAtMs >= ordered[90]!.createdAtMs && r.createdAtMs < ordered[5]!.createdAtMs)],
    ];
    for (const [query, expected] of cases) {
      for (const limit of [1, 3, 5]) {
        const { ids } = await listAll(query, limit);
        assertNoDuplicates(ids);
        assert.deepEqual(ids, expected, `${query} limit ${limit}`);
      }
    }
  });

  test('a cursor only continues the list it came from', async () => {
    const first = await api('/v1/requests?model=gpt-4o&limit=2');
    const cursor = first.body.nextCursor as string;
    const same = await api(`/v1/requests?model=gpt-4o&limit=5&cursor=${cursor}`);
    assert.equal(same.status, 200, 'limit may change between pages');
    const other = await api(`/v1/requests?model=gpt-4o-mini&limit=2&cursor=${cursor}`);
    assert.equal(other.status, 400);
    assert.equal(other.body.error.code, 'invalid_parameter');
    assert.match(other.body.error.message, /^cursor /);
    const forged = await api(`/v1/requests?cursor=${Buffer.from('{"v":1,"f":"x"}').toString('base64url')}`);
    assert.equal(forged.status, 400);
    assert.match(forged.body.error.message, /^cursor /);
  });

  test('pages stay gap-free when a call stops at its work bound with few or no matches', async () => {
    // The deployed bounds are too large to hit with a test table, so the service is built here
    // with tiny ones over the same DynamoDB Local table.
    const alerts = new AlertTable(documents, fx.stack.lambdaEnvironment.LOOKOUT_ALERTS_TABLE!);
    const service = (bounds: Partial<RequestPagerBounds>) =>
      new QueryService({
        authenticator: new GatewayKeyAuthenticator(fx.keys, 0),
        reads: new RequestLogTableReader(documents, fx.stack.lambdaEnvironment.LOOKOUT_REQUEST_LOG_TABLE!),
        bodies: new BodyBucket(fx.stack.lambdaEnvironment, fx.stack.lambdaEnvironment.LOOKOUT_BODIES_BUCKET!),
        configQuotas: [],
        quotaStore: new QuotaTable(documents, fx.stack.lambdaEnvironment.LOOKOUT_QUOTAS_TABLE!),
        quotaCounters: { read: () => assert.fail('paging reads no quota counter') },
        keys: fx.keys,
        configAlerts: [],
        alertRules: alerts,
        alertStates: alerts,
        alertDelivery: { deliver: () => assert.fail('paging sends no notification') },
        publicUrl: () => fx.url,
        rollups: { readBuckets: () => assert.fail('paging reads no rollup'), readGroup: () => assert.fail('paging reads no rollup') },
        indexedProperties: [],
        rollupRetention: { minute: 2, hour: 90, day: 730 },
        retentionDays: RETENTION_DAYS,
        now: Date.now,
        logger: { error: (message, extra) => console.error(message, extra), warn: () => undefined },
        pagerBounds: { ...DEFAULT_REQUEST_PAGER_BOUNDS, ...bounds },
      });
    const pageThrough = async (svc: QueryService, query: string, limit: number) => {
      const ids: string[] = [];
      let emptyPages = 0;
      let cursor: string | null = null;
      do {
        const rawQuery = `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await svc.handle({
          method: 'GET',
          path: '/v1/requests',
          rawQuery,
          headers: { 'lookout-auth': `Bearer ${adminKey}` },
          body: Buffer.alloc(0),
          sourceIp: undefined,
        });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        const page = response.body as { requests: { id: string }[]; nextCursor: string | null };
        if (page.requests.length === 0) emptyPages += 1;
        ids.push(...page.requests.map((request) => request.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      return { ids, emptyPages };
    };

    const sparse = idsWhere((r) => r.properties.team === 'ml' && r.model === 'gpt-4o-mini');
    const readBound = await pageThrough(service({ maxItemsRead: 6, maxQueries: 3 }), 'property.team=ml&model=gpt-4o-mini', 2);
    assert.ok(readBound.emptyPages > 0, 'some calls ran out of reads before finding a match');
    assertNoDuplicates(readBound.ids);
    assert.deepEqual(readBound.ids, sparse);

    const sizeBound = await pageThrough(service({ maxResponseBytes: 2_500 }), 'userId=bob', 50);
    assertNoDuplicates(sizeBound.ids);
    assert.deepEqual(
      sizeBound.ids,
      idsWhere((r) => r.userId === 'bob'),
    );
  });
});

describe('GET /v1/requests/{id}', () => {
  const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] };
  const sse = 'data: {"choices":[{"delta":{"content":"Hello"}}]}\n\ndata: [DONE]\n\n';
  let inline: RequestLogRecord;
  let inS3: RequestLogRecord;
  let omitted: RequestLogRecord;

  before(async () => {
    const s3Key = `bodies/${randomUUID()}/response.gz`;
    await new BodyBucket(fx.stack.lambdaEnvironment, fx.stack.lambdaEnvironment.LOOKOUT_BODIES_BUCKET!).put(
      s3Key,
      new Uint8Array(gzipSync(Buffer.from(sse))),
    );
    const at = seedNow - 5 * 60_000;
    inline = logRecord({
      id: randomUUID(),
      createdAtMs: at,
      requestBody: inlineBody(JSON.stringify(chat)),
      responseBody: inlineBody('{"id":"chatcmpl-1","choices":[]}'),
    });
    inS3 = logRecord({
      id: randomUUID(),
      createdAtMs: at + 1,
      stream: true,
      ttftMs: 80,
      requestBody: inlineBody(JSON.stringify(chat)),
      responseBody: { s3Key },
    });
    omitted = logRecord({ id: randomUUID(), createdAtMs: at + 2 });
    await putRecords([inline, inS3, omitted]);
  });

  test('returns the summary with bodies stored inline, decompressed and parsed', async () => {
    const { status, body } = await api(`/v1/requests/${inline.id}`);
    assert.equal(status, 200);
    assert.equal(body.id, inline.id);
    assert.equal(body.model, 'gpt-4o-mini');
    assert.deepEqual(body.requestBody, chat);
    assert.equal(body.requestBodyEncoding, 'json');
    assert.deepEqual(body.responseBody, { id: 'chatcmpl-1', choices: [] });
  });

  test('fetches a body stored in S3; a streamed answer comes back as its SSE text', async () => {
    const { status, body } = await api(`/v1/requests/${inS3.id}`);
    assert.equal(status, 200);
    assert.deepEqual(body.requestBody, chat);
    assert.equal(body.responseBody, sse);
    assert.equal(body.responseBodyEncoding, 'text');
    assert.equal(body.ttftMs, 80);
  });

  test('omitted bodies are null and an unknown id is a 404', async () => {
    const { body } = await api(`/v1/requests/${omitted.id}`);
    assert.equal(body.requestBody, null);
    assert.equal(body.responseBody, null);
    assert.equal(body.requestBodyEncoding, null);
    const missing = await api(`/v1/requests/${randomUUID()}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not_found');
  });
});

describe('usage', () => {
  // The usage routes read the rollups, which the log's stream feeds.
  before(() => fx.stack.rollupsCaughtUp());

  // What the API must say, computed here from the seeded records with integer nano-dollars.
  function expectedUsage(records: RequestLogRecord[]) {
    const priced = records.filter((r) => !r.unpriced).reduce((sum, r) => sum + (r.costNanoUsd ?? 0), 0);
    return {
      requests: records.length,
      errors: records.filter((r) => !isOk(r)).length,
      promptTokens: records.reduce((sum, r) => sum + (r.promptTokens ?? 0), 0),
      completionTokens: records.reduce((sum, r) => sum + (r.completionTokens ?? 0), 0),
      cachedTokens: records.reduce((sum, r) => sum + (r.cachedTokens ?? 0), 0),
      totalTokens: records.reduce((sum, r) => sum + (r.totalTokens ?? 0), 0),
      costUsd: priced / 1e9,
      unpricedRequests: records.filter((r) => r.unpriced).length,
      rateLimitedRequests: records.filter((r) => r.rateLimited).length,
      lastSeenAt: new Date(Math.max(...records.map((r) => r.createdAtMs))).toISOString(),
    };
  }

  function expectedRanking(records: RequestLogRecord[]) {
    const byUser = new Map<string, RequestLogRecord[]>();
    for (const record of records) if (record.userId !== null) byUser.set(record.userId, [...(byUser.get(record.userId) ?? []), record]);
    return [...byUser]
      .map(([userId, rows]) => ({
        userId,
        ...expectedUsage(rows),
        nano: rows.reduce((sum, r) => sum + (r.unpriced ? 0 : (r.costNanoUsd ?? 0)), 0),
      }))
      .sort((a, b) => b.nano - a.nano || b.requests - a.requests || a.userId.localeCompare(b.userId))
      .map(({ nano: _nano, ...row }) => row);
  }

  test('GET /v1/users ranks users by cost, counting unpriced requests apart', async () => {
    const { status, body } = await api('/v1/users');
    assert.equal(status, 200);
    assert.equal('truncated' in body, false);
    const expected = expectedRanking(seeded);
    assert.deepEqual(
      body.users.map((row: { userId: string }) => row.userId),
      expected.map((row) => row.userId),
    );
    for (const [index, row] of expected.entries()) {
      const { lastSeenAt, ...numbers } = row;
      const actual = body.users[index];
      assert.equal(actual.lastSeenAt, lastSeenAt);
      for (const [field, value] of Object.entries(numbers)) assert.equal(actual[field], value, `${row.userId}.${field}`);
    }
    assert.ok(
      body.users.some((row: { unpricedRequests: number }) => row.unpricedRequests > 0),
      'the seed has unpriced requests',
    );
  });

  test('GET /v1/users?orderBy= ranks by requests or errors, ties going to the other counts', async () => {
    const rows = expectedRanking(seeded);
    const byRequests = [...rows].sort((a, b) => b.requests - a.requests || b.costUsd - a.costUsd || a.userId.localeCompare(b.userId));
    const byErrors = [...rows].sort(
      (a, b) => b.errors - a.errors || b.requests - a.requests || b.costUsd - a.costUsd || a.userId.localeCompare(b.userId),
    );
    for (const [orderBy, expected] of [
      ['cost', rows],
      ['requests', byRequests],
      ['errors', byErrors],
    ] as const) {
      const { status, body } = await api(`/v1/users?orderBy=${orderBy}`);
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(
        body.users.map((row: { userId: string; requests: number; errors: number }) => [row.userId, row.requests, row.errors]),
        expected.map((row) => [row.userId, row.requests, row.errors]),
        orderBy,
      );
    }
  });

  test('GET /v1/users honours the window, out to the hours the rollups keep there, and the limit', async () => {
    const ordered = newestFirst(seeded);
    const from = ordered[60]!.createdAtMs;
    const to = ordered[20]!.createdAtMs;
    const { body } = await api(`/v1/users?from=${new Date(from).toISOString()}&to=${to}&limit=2`);
    // Over two days back, minute buckets have expired: the window goes out to whole hours.
    const fromMs = Math.floor(from / HOUR_MS) * HOUR_MS;
    const toMs = Math.ceil(to / HOUR_MS) * HOUR_MS;
    assert.equal(body.from, new Date(fromMs).toISOString());
    assert.equal(body.to, new Date(toMs).toISOString());
    const expected = expectedRanking(seeded.filter((r) => r.createdAtMs >= fromMs && r.createdAtMs < toMs)).slice(0, 2);
    assert.deepEqual(
      body.users.map((row: { userId: string; costUsd: number }) => [row.userId, row.costUsd]),
      expected.map((row) => [row.userId, row.costUsd]),
    );
  });

  test('GET /v1/users/{id}/usage totals one user', async () => {
    const { status, body } = await api('/v1/users/alice/usage');
    assert.equal(status, 200);
    assert.deepEqual(
      { ...body, from: undefined, to: undefined },
      {
        userId: 'alice',
        ...expectedUsage(seeded.filter((r) => r.userId === 'alice')),
        from: undefined,
        to: undefined,
      },
    );
    const ordered = newestFirst(seeded);
    const from = ordered[50]!.createdAtMs;
    const windowed = await api(`/v1/users/bob/usage?from=${from}`);
    const fromMs = Date.parse(windowed.body.from);
    // Within the last two days minute buckets are kept: from goes out to its minute.
    assert.equal(fromMs, Math.floor(from / 60_000) * 60_000);
    assert.equal(windowed.body.requests, seeded.filter((r) => r.userId === 'bob' && r.createdAtMs >= fromMs).length);
  });

  test('a user without requests has zero usage', async () => {
    const { status, body } = await api('/v1/users/nobody%40example.com/usage');
    assert.equal(status, 200);
    assert.equal(body.userId, 'nobody@example.com');
    assert.equal(body.requests, 0);
    assert.equal(body.costUsd, 0);
    assert.equal(body.lastSeenAt, null);
  });
});

describe('GET /v1/sessions/{id}', () => {
  test('returns the requests in order, the tree by Session-Path and totals', async () => {
    const { status, body } = await api('/v1/sessions/trip-42');
    assert.equal(status, 200);
    const session = seeded.filter((r) => r.sessionId === 'trip-42').sort((a, b) => a.createdAtMs - b.createdAtMs);
    const [plan, flights1, flights2, hotels, summary] = session.map((r) => r.id);
    assert.equal(body.sessionId, 'trip-42');
    assert.equal(body.name, 'Trip planner');
    assert.equal(body.truncated, false);
    assert.deepEqual(
      body.requests.map((request: { id: string }) => request.id),
      [plan, flights1, flights2, hotels, summary],
    );

    const shape = (node: any): unknown => ({
      path: node.path,
      name: node.name,
      requestIds: node.requestIds,
      requests: node.subtotal.requests,
      children: node.children.map(shape),
    });
    assert.deepEqual(shape(body.tree), {
      path: '/',
      name: '',
      requestIds: [],
      requests: 5,
      children: [
        {
          path: '/plan',
          name: 'plan',
          requestIds: [plan],
          requests: 4,
          children: [
            { path: '/plan/flights', name: 'flights', requestIds: [flights1, flights2], requests: 2, children: [] },
            { path: '/plan/hotels', name: 'hotels', requestIds: [hotels], requests: 1, children: [] },
          ],
        },
        { path: '/summary', name: 'summary', requestIds: [summary], requests: 1, children: [] },
      ],
    });
    const flights = body.tree.children[0].children[0];
    assert.equal(flights.subtotal.errors, 1);
    assert.equal(flights.subtotal.costUsd, 0.02);

    const first = session[0]!;
    const last = session.at(-1)!;
    assert.deepEqual(body.totals, {
      requests: 5,
      errors: 1,
      promptTokens: 40,
      completionTokens: 20,
      cachedTokens: 0,
      totalTokens: 60,
      costUsd: 0.065,
      unpricedRequests: 0,
      rateLimitedRequests: 0,
      durationMs: last.createdAtMs + last.latencyMs - first.createdAtMs,
    });
  });

  test('an unknown session is a 404', async () => {
    const { status, body } = await api('/v1/sessions/no-such-session');
    assert.equal(status, 404);
    assert.equal(body.error.code, 'not_found');
  });
});

describe('GET /v1/sessions', () => {
  test('lists the seeded sessions, the latest first, counted over the whole range', async () => {
    const { status, body } = await api('/v1/sessions');
    assert.equal(status, 200);
    assert.equal(body.complete, true, 'the seed is far below the read bound');
    const bySession = new Map<string, RequestLogRecord[]>();
    for (const record of newestFirst(seeded)) {
      if (record.sessionId !== null) bySession.set(record.sessionId, [...(bySession.get(record.sessionId) ?? []), record]);
    }
    assert.deepEqual(
      body.sessions.map((row: any) => [row.sessionId, row.requests, row.errors, row.lastAt, row.firstAt]),
      [...bySession].map(([sessionId, records]) => [
        sessionId,
        records.length,
        records.filter((r) => !isOk(r)).length,
        new Date(records[0]!.createdAtMs).toISOString(),
        new Date(records.at(-1)!.createdAtMs).toISOString(),
      ]),
    );
    const trip = body.sessions.find((row: any) => row.sessionId === 'trip-42');
    assert.deepEqual([trip.name, trip.costUsd, trip.unpricedRequests, trip.userIds], ['Trip planner', 0.065, 0, ['dave']]);
  });
});

describe('malformed query parameters', () => {
  const cases: [string, string][] = [
    ['/v1/requests?limit=0', 'limit'],
    ['/v1/requests?limit=1001', 'limit'],
    ['/v1/requests?limit=many', 'limit'],
    ['/v1/requests?from=last-week', 'from'],
    ['/v1/requests?to=2025-02-30', 'to'],
    ['/v1/requests?from=2025-02-02&to=2025-02-01', 'from'],
    ['/v1/requests?status=broken', 'status'],
    ['/v1/requests?cacheHit=maybe', 'cacheHit'],
    ['/v1/requests?cursor=%21%21%21', 'cursor'],
    ['/v1/requests?userid=alice', 'userid'],
    ['/v1/requests?property.has%20space=x', 'property.has space'],
    ['/v1/requests?model=a&model=b', 'model'],
    ['/v1/users?limit=-1', 'limit'],
    ['/v1/users?from=2025-01-01T00:00:00', 'from'],
    ['/v1/users?userId=alice', 'userId'],
    ['/v1/users/alice/usage?limit=5', 'limit'],
    ['/v1/users/alice/usage?to=soon', 'to'],
    ['/v1/sessions/trip-42?from=2025-01-01', 'from'],
    ['/v1/users?orderBy=latency', 'orderBy'],
    ['/v1/sessions?limit=201', 'limit'],
    ['/v1/sessions?userid=dave', 'userid'],
    ['/v1/sessions?to=soon', 'to'],
    ['/v1/metrics/dimensions?groupBy=user', 'groupBy'],
  ];
  for (const [path, parameter] of cases) {
    test(`${path} is a 400 naming ${parameter}`, async () => {
      const { status, body } = await api(path);
      assert.equal(status, 400);
      assert.equal(body.error.code, 'invalid_parameter');
      assert.ok(body.error.message.startsWith(parameter), body.error.message);
    });
  }
});

describe('sessions through the gateway', () => {
  async function send(headers: Record<string, string>): Promise<string> {
    const response = await fetch(`${fx.url}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-provider', 'Lookout-Auth': `Bearer ${appKey}`, ...headers },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(response.status, 200, await response.text());
    return response.headers.get('lookout-id')!;
  }

  test('requests sent with Lookout-Session-Id appear in GET /v1/sessions, the latest first', async () => {
    const startedAt = Date.now();
    const agent = `agent-${randomUUID()}`;
    const chat = `chat-${randomUUID()}`;
    const ids = [
      await send({ 'Lookout-Session-Id': agent, 'Lookout-Session-Name': 'Research agent', 'Lookout-User-Id': 'gail' }),
      await send({ 'Lookout-Session-Id': agent, 'Lookout-Session-Path': '/search', 'Lookout-User-Id': 'hal' }),
      await send({ 'Lookout-Session-Id': chat, 'Lookout-User-Id': 'gail' }),
      await send({ 'Lookout-User-Id': 'gail' }),
    ];
    // The log is written after the client has the last byte, so it may land a moment later.
    const deadline = Date.now() + 10_000;
    for (const id of ids) {
      while ((await api(`/v1/requests/${id}`)).status !== 200) {
        assert.ok(Date.now() < deadline, `request ${id} was never logged`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const { status, body } = await api(`/v1/sessions?from=${startedAt}`);
    assert.equal(status, 200);
    assert.equal(body.complete, true);
    assert.deepEqual(
      body.sessions.map((row: any) => [row.sessionId, row.name, row.requests, row.errors, row.userIds]),
      [
        [chat, null, 1, 0, ['gail']],
        [agent, 'Research agent', 2, 0, ['hal', 'gail']],
      ],
    );
    assert.ok(body.sessions[1].costUsd > 0, 'the mock model is priced');
    const gail = await api(`/v1/sessions?from=${startedAt}&userId=gail&limit=1`);
    assert.deepEqual(
      gail.body.sessions.map((row: any) => [row.sessionId, row.requests]),
      [[chat, 1]],
    );
  });
});

describe('GET /v1/metrics/dimensions', () => {
  test('names what /v1/metrics can split by, each of which it takes as groupBy', async () => {
    const { status, body } = await api('/v1/metrics/dimensions');
    assert.equal(status, 200);
    assert.deepEqual(body.dimensions, ['user', 'model', 'provider', 'key', 'property:env']);
    for (const dimension of body.dimensions) {
      const metrics = await api(`/v1/metrics?metric=requests&groupBy=${dimension}`);
      assert.equal(metrics.status, 200, `${dimension}: ${JSON.stringify(metrics.body)}`);
    }
  });
});
