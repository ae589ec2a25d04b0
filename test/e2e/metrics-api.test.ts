/**
 * `GET /v1/metrics` under `npm start`: the official SDK sends a mix of requests through the local
 * stack to the loopback mock provider, the log's stream carries them to the rollups, and the
 * metrics equal what was sent and what the request log itself says (read through /v1/requests).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import OpenAI from 'openai';
import { HISTOGRAM_RELATIVE_ACCURACY } from '../../lambdas/core/rollups/log-histogram.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';
import { sendJson } from '../../lambdas/demo/mock-provider.js';

/** The fields of `/v1/requests` this test compares with. */
interface LoggedRequest {
  id: string;
  userId: string | null;
  model: string;
  status: number;
  outcome: string;
  latencyMs: number;
  ttftMs: number | null;
  costUsd: number | null;
  properties: Record<string, string>;
}

interface MetricsAnswer {
  metric: string;
  unit: string;
  from: string;
  to: string;
  interval: number;
  resolution: number;
  series: {
    group: string | null;
    total: number | null;
    requests: number;
    points: { t: string; value: number | null; requests: number }[];
  }[];
}

const USERS = ['metrics-ann', 'metrics-ben', 'metrics-cy'];
const SENT = 12;
const STREAMED = new Set([3, 8]);
const FAILED = 5;

let fx: StackFixture;
let appKey: string;
let adminKey: string;
let startedAtMs: number;
let logged: LoggedRequest[];

function openai(headers: Record<string, string>): OpenAI {
  return new OpenAI({
    apiKey: 'sk-provider',
    baseURL: `${fx.url}/openai/v1`,
    defaultHeaders: { 'Helicone-Auth': `Bearer ${appKey}`, ...headers },
    maxRetries: 0,
  });
}

async function api<T = any>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${fx.url}${path}`, { headers: { 'Lookout-Auth': `Bearer ${adminKey}` } });
  return { status: response.status, body: (await response.json()) as T };
}

async function metrics(query: string): Promise<MetricsAnswer> {
  const { status, body } = await api<MetricsAnswer>(`/v1/metrics?from=${startedAtMs}&${query}`);
  assert.equal(status, 200, `${query}: ${JSON.stringify(body)}`);
  return body;
}

async function loggedSince(fromMs: number): Promise<LoggedRequest[]> {
  const requests: LoggedRequest[] = [];
  let cursor: string | null = null;
  do {
    const { body }: { body: { requests: LoggedRequest[]; nextCursor: string | null } } = await api(
      `/v1/requests?from=${fromMs}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    requests.push(...body.requests);
    cursor = body.nextCursor;
  } while (cursor);
  return requests;
}

const environmentOf = (i: number): string | null => (i % 5 === 4 ? null : i % 4 < 2 ? 'production' : 'staging');

async function sendWorkload(): Promise<void> {
  for (let i = 0; i < SENT; i++) {
    const headers: Record<string, string> = { 'Helicone-User-Id': USERS[i % USERS.length]! };
    const environment = environmentOf(i);
    if (environment) headers['Helicone-Property-Environment'] = environment;
    const client = openai(headers);
    const model = i % 2 ? 'gpt-4o' : 'gpt-4o-mini';
    const messages = [{ role: 'user' as const, content: `metrics question ${i}` }];
    if (STREAMED.has(i)) {
      const stream = await client.chat.completions.create({ model, messages, stream: true });
      for await (const _chunk of stream);
      continue;
    }
    if (i === FAILED) fx.mock.scriptNext((_req, res) => sendJson(res, 500, { error: { message: 'mock outage', type: 'server_error' } }));
    await client.chat.completions.create({ model, messages }).catch((error: unknown) => {
      if (!(i === FAILED && error instanceof OpenAI.APIError && error.status === 500)) throw error;
    });
  }
}

/** The element at rank floor(q * (n - 1)) of the values sorted: what a percentile of the rollups is within 1% of. */
function exactQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

function assertWithinAccuracy(actual: number | null, exact: number, what: string): void {
  assert.ok(actual !== null, `${what}: null`);
  assert.ok(Math.abs(actual - exact) <= exact * HISTOGRAM_RELATIVE_ACCURACY, `${what}: ${actual} is not within 1% of ${exact}`);
}

const isOk = (r: LoggedRequest) => r.status >= 200 && r.status < 400 && r.outcome === 'completed';
const nanoUsd = (requests: readonly LoggedRequest[]) => requests.reduce((sum, r) => sum + Math.round((r.costUsd ?? 0) * 1e9), 0);

before(async () => {
  fx = await startStackFixture({ indexedProperties: ['environment'] });
  appKey = await fx.createKey('app', 'metrics-app');
  adminKey = await fx.createKey('admin');
  startedAtMs = Date.now();
  await sendWorkload();
  await fx.stack.idle();
  await fx.stack.rollupsCaughtUp();
  logged = await loggedSince(startedAtMs);
});
after(() => fx?.close());

describe('GET /v1/metrics on the local stack', () => {
  test('the log holds the mix: users, two models, the property, an error and streams with a TTFT', () => {
    assert.equal(logged.length, SENT);
    assert.deepEqual([...new Set(logged.map((r) => r.userId))].sort(), USERS);
    assert.deepEqual([...new Set(logged.map((r) => r.model))].sort(), ['gpt-4o', 'gpt-4o-mini']);
    assert.equal(logged.filter((r) => r.status === 500).length, 1);
    assert.equal(logged.filter((r) => r.ttftMs !== null).length, STREAMED.size);
    assert.equal(logged.filter((r) => r.properties.environment === 'production').length, 4);
    assert.equal(logged.filter((r) => r.properties.environment === undefined).length, 2);
  });

  test('requests: every request sent, in every point of the range', async () => {
    const body = await metrics('metric=requests');
    assert.equal(body.unit, 'requests');
    assert.equal(body.interval, 60);
    assert.equal(body.resolution, 60);
    assert.equal(body.from, new Date(Math.floor(startedAtMs / 60_000) * 60_000).toISOString());
    const [series] = body.series;
    assert.equal(series!.group, null);
    assert.equal(series!.total, SENT);
    assert.equal(series!.requests, SENT);
    assert.equal(
      series!.points.reduce((sum, point) => sum + point.requests, 0),
      SENT,
    );
    assert.equal(series!.points.length, (Date.parse(body.to) - Date.parse(body.from)) / 60_000);
  });

  test('error_rate by user: each user’s errors over their requests, as the log counts them', async () => {
    const body = await metrics('metric=error_rate&groupBy=user');
    assert.equal(body.unit, 'percent');
    assert.deepEqual(body.series.map((s) => s.group).sort(), USERS);
    for (const series of body.series) {
      const mine = logged.filter((r) => r.userId === series.group);
      assert.equal(series.requests, mine.length, `${series.group} requests`);
      assert.equal(series.total, (mine.filter((r) => !isOk(r)).length / mine.length) * 100, `${series.group} error rate`);
    }
    assert.ok(
      body.series.some((s) => s.total! > 0),
      'the mock’s 500 is an error',
    );
  });

  test('cost by user within a property value: the log’s costs, highest first', async () => {
    const body = await metrics('metric=cost&groupBy=user&property.environment=production');
    assert.equal(body.unit, 'usd');
    const production = logged.filter((r) => r.properties.environment === 'production');
    const expected = USERS.map((user) => ({ user, nano: nanoUsd(production.filter((r) => r.userId === user)) }))
      .filter(({ user }) => production.some((r) => r.userId === user))
      .sort((a, b) => b.nano - a.nano || a.user.localeCompare(b.user));
    assert.deepEqual(
      body.series.map((s) => [s.group, Math.round(s.total! * 1e9)]),
      expected.map(({ user, nano }) => [user, nano]),
    );
    assert.ok(
      expected.every(({ nano }) => nano > 0),
      'the mock’s models are priced',
    );
    const all = await metrics('metric=cost&property.environment=production');
    assert.equal(Math.round(all.series[0]!.total! * 1e9), nanoUsd(production));
  });

  test('latency_p95 by user and for a property value: within 1% of the log’s own latencies', async () => {
    const byUser = await metrics('metric=latency_p95&groupBy=user');
    assert.equal(byUser.unit, 'ms');
    for (const series of byUser.series) {
      const latencies = logged.filter((r) => r.userId === series.group).map((r) => r.latencyMs);
      assertWithinAccuracy(series.total, exactQuantile(latencies, 0.95), `${series.group} p95`);
    }
    const staging = await metrics('metric=latency_p95&property.environment=staging');
    const stagingLatencies = logged.filter((r) => r.properties.environment === 'staging').map((r) => r.latencyMs);
    assert.equal(staging.series[0]!.requests, stagingLatencies.length);
    assertWithinAccuracy(staging.series[0]!.total, exactQuantile(stagingLatencies, 0.95), 'staging p95');
    const ttft = await metrics('metric=ttft_p50');
    const ttfts = logged.flatMap((r) => (r.ttftMs === null ? [] : [r.ttftMs]));
    assertWithinAccuracy(ttft.series[0]!.total, exactQuantile(ttfts, 0.5), 'TTFT median');
  });

  test('a logged request shows in the metrics within 5 seconds', async () => {
    const user = 'metrics-fresh';
    await openai({ 'Helicone-User-Id': user }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'fresh' }],
    });
    const answeredAtMs = Date.now();
    const deadline = answeredAtMs + 5_000;
    for (;;) {
      const body = await metrics(`metric=requests&userId=${user}`);
      if (body.series[0]!.requests === 1) break;
      assert.ok(Date.now() < deadline, `not in the metrics ${Date.now() - answeredAtMs} ms after its answer`);
      await delay(50);
    }
  });

  test('an unindexed property is a 400 saying how to index it', async () => {
    const { status, body } = await api(`/v1/metrics?metric=requests&groupBy=property:team`);
    assert.equal(status, 400);
    assert.match(body.error.message, /^groupBy: .*indexedProperties in lookout\.config\.ts.*npm run rollups:rebuild/);
  });
});
