import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_METRIC_POINTS } from '../../../lambdas/app/query/metrics-report.js';
import { HISTOGRAM_RELATIVE_ACCURACY } from '../../../lambdas/core/rollups/log-histogram.js';
import { addSampleToBucket, emptyRollupBucket, type RollupBucket } from '../../../lambdas/core/rollups/rollup-bucket.js';
import { dimensionValues, rollupDimensions } from '../../../lambdas/core/rollups/rollup-dimensions.js';
import { METRIC_NAMES } from '../../../lambdas/contract/metric-names.js';
import { metricValue } from '../../../lambdas/core/rollups/rollup-metrics.js';
import type { RequestLogRecord } from '../../../lambdas/core/request-log/request-log-record.js';
import { inMemoryQueryService, QUERY_APP_KEY, queryRequest } from '../../support/in-memory-query-stores.js';
import { InMemoryRollups } from '../../support/in-memory-rollups.js';
import { logRecord } from '../../support/request-log-records.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12, 30, 0);
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const INDEXED = ['env', 'feature'];

let n = 0;
const request = (minute: number, overrides: Partial<RequestLogRecord> = {}): RequestLogRecord =>
  logRecord({ id: `r${++n}`, createdAtMs: T0 + minute * MINUTE_MS + 1_000, ...overrides });

// Twelve requests in the minutes from 12:00, varied along every dimension.
const RECORDS: RequestLogRecord[] = [
  request(0, { userId: 'alice', model: 'gpt-4o', latencyMs: 100, costNanoUsd: 1_000_000_000, properties: { env: 'prod' } }),
  request(0, { userId: 'alice', model: 'gpt-4o', latencyMs: 120, costNanoUsd: 500_000_000, properties: { env: 'prod' }, ttftMs: 30 }),
  request(0, { userId: 'bob', latencyMs: 140, costNanoUsd: 250_000_000, properties: { env: 'dev' }, cacheStatus: 'miss' }),
  request(1, { userId: 'bob', latencyMs: 160, status: 500, outcome: 'upstream_error', costNanoUsd: null, properties: { env: 'prod' } }),
  request(1, {
    userId: 'carol',
    provider: 'anthropic',
    model: 'claude-sonnet-4-6',
    latencyMs: 900,
    ttftMs: 200,
    costNanoUsd: 2_000_000_000,
    keyName: 'batch',
  }),
  request(2, { userId: null, latencyMs: 110, cacheStatus: 'hit', savedNanoUsd: 40_000_000, costNanoUsd: 0, properties: { env: 'prod' } }),
  request(2, { userId: 'alice', latencyMs: 130, rateLimited: true, status: 429, outcome: 'rejected', costNanoUsd: null }),
  request(4, { userId: 'dave', model: 'mystery', costNanoUsd: null, unpriced: true, latencyMs: 300, keyName: 'batch' }),
  request(4, { userId: 'dave', latencyMs: 310, promptTokens: 1_000, completionTokens: 500, totalTokens: 1_500 }),
  request(5, { userId: 'erin', latencyMs: 150, properties: { env: 'prod', feature: 'chat' } }),
  request(5, { userId: 'erin', latencyMs: 170, cacheStatus: 'unavailable', properties: { env: 'prod', feature: 'chat' } }),
  request(9, { userId: 'bob', latencyMs: 5_000, provider: 'anthropic', model: 'claude-sonnet-4-6', properties: { env: 'dev' } }),
];

function rollupsOf(records: readonly RequestLogRecord[]): InMemoryRollups {
  const rollups = new InMemoryRollups();
  for (const record of records) rollups.addRequest(record, dimensionValues(record, rollupDimensions(INDEXED)));
  return rollups;
}

function service(rollups = rollupsOf(RECORDS), nowMs = NOW) {
  return inMemoryQueryService(undefined, { rollups, indexedProperties: INDEXED, now: () => nowMs }).service;
}

async function metrics(query: string, svc = service()): Promise<any> {
  const response = await svc.handle(queryRequest('GET', `/v1/metrics?${query}`));
  assert.equal(response.status, 200, `${query}: ${JSON.stringify(response.body)}`);
  return response.body;
}

async function refusal(query: string, svc = service()): Promise<string> {
  const response = await svc.handle(queryRequest('GET', `/v1/metrics?${query}`));
  assert.equal(response.status, 400, `${query}: ${JSON.stringify(response.body)}`);
  const { error } = response.body as { error: { code: string; message: string } };
  assert.equal(error.code, 'invalid_parameter');
  return error.message;
}

function bucketOf(records: readonly RequestLogRecord[]): RollupBucket {
  const bucket = emptyRollupBucket();
  for (const record of records) addSampleToBucket(bucket, record);
  return bucket;
}

const TEN_MINUTES = `from=${iso(T0)}&to=${iso(T0 + 10 * MINUTE_MS)}&interval=60`;
const inMinute = (minute: number) => RECORDS.filter((r) => Math.floor((r.createdAtMs - T0) / MINUTE_MS) === minute);

describe('GET /v1/metrics', () => {
  it('answers every metric per point and over the range, as the buckets of those requests give it', async () => {
    for (const metric of METRIC_NAMES) {
      const body = await metrics(`metric=${metric}&${TEN_MINUTES}`);
      assert.equal(body.metric, metric);
      assert.equal(body.series.length, 1);
      const [series] = body.series;
      assert.equal(series.group, null);
      assert.equal(series.requests, RECORDS.length);
      assert.equal(series.total, metricValue(metric, bucketOf(RECORDS)), `${metric} total`);
      assert.deepEqual(
        series.points.map((point: { value: number | null }) => point.value),
        Array.from({ length: 10 }, (_, minute) => metricValue(metric, bucketOf(inMinute(minute)))),
        `${metric} points`,
      );
    }
  });

  it('gives the values a user would work out from the requests', async () => {
    const total = async (metric: string) => (await metrics(`metric=${metric}&${TEN_MINUTES}`)).series[0].total;
    assert.equal(await total('requests'), 12);
    assert.equal(await total('errors'), 2);
    assert.equal(await total('error_rate'), (2 / 12) * 100);
    assert.equal(await total('cost'), 3_750_004_000 / 1e9);
    assert.equal(await total('rate_limited'), 1);
    assert.equal(await total('unpriced_share'), (1 / 12) * 100);
    assert.equal(await total('cache_hit_rate'), (1 / 3) * 100);
    assert.equal(await total('saved_usd'), 0.04);
    assert.equal(await total('tokens'), 11 * 15 + 1_500);
    assert.equal(await total('prompt_tokens'), 11 * 10 + 1_000);
    assert.equal(await total('completion_tokens'), 11 * 5 + 500);
    const latencies = RECORDS.map((r) => r.latencyMs).sort((a, b) => a - b);
    assert.equal(await total('latency_avg'), latencies.reduce((a, b) => a + b, 0) / 12);
    const p95 = await total('latency_p95');
    const exact = latencies[Math.floor(0.95 * 11)]!;
    assert.ok(Math.abs(p95 - exact) <= exact * HISTOGRAM_RELATIVE_ACCURACY, `p95 ${p95} vs ${exact}`);
    // Two streams, 30 and 200 ms: the 95th percentile is the lower one (rank floor(0.95 * 1)).
    assert.ok(Math.abs((await total('ttft_p95')) - 30) <= 30 * HISTOGRAM_RELATIVE_ACCURACY);
  });

  it('has the unit of the metric and the aligned range, and every point, empty ones as null with 0 requests', async () => {
    const body = await metrics(`metric=cost&from=${iso(T0 + 30_000)}&to=${iso(T0 + 9 * MINUTE_MS + 10_000)}&interval=60`);
    assert.equal(body.unit, 'usd');
    assert.equal(body.from, iso(T0));
    assert.equal(body.to, iso(T0 + 10 * MINUTE_MS));
    assert.equal(body.interval, 60);
    assert.equal(body.resolution, 60);
    const points = body.series[0].points;
    assert.deepEqual(
      points.map((p: { t: string }) => p.t),
      Array.from({ length: 10 }, (_, i) => iso(T0 + i * MINUTE_MS)),
    );
    assert.deepEqual(points[3], { t: iso(T0 + 3 * MINUTE_MS), value: null, requests: 0 });
    assert.equal(points[0].requests, 3);
    assert.equal((await metrics('metric=latency_p50')).unit, 'ms');
    assert.equal((await metrics('metric=error_rate')).unit, 'percent');
    assert.equal((await metrics('metric=tokens')).unit, 'tokens');
    assert.equal((await metrics('metric=errors')).unit, 'requests');
  });

  it('takes the interval from the range when none is given, and defaults to the day before now', async () => {
    const interval = async (rangeMs: number) => (await metrics(`metric=requests&from=${NOW - rangeMs}&to=${NOW}`)).interval;
    assert.equal(await interval(6 * HOUR_MS), 60);
    assert.equal(await interval(6 * HOUR_MS + 1), 3600);
    assert.equal(await interval(8 * DAY_MS), 3600);
    assert.equal(await interval(8 * DAY_MS + 1), 86400);
    const byDefault = await metrics('metric=requests');
    assert.equal(byDefault.interval, 3600);
    assert.equal(byDefault.from, iso(Date.UTC(2026, 0, 14, 12)));
    assert.equal(byDefault.to, iso(Date.UTC(2026, 0, 15, 13)));
    assert.equal(byDefault.series[0].points.length, 25);
    assert.equal(byDefault.series[0].requests, 12);
    const toOnly = await metrics(`metric=requests&to=${iso(T0 + 5 * MINUTE_MS)}`);
    assert.equal(toOnly.from, iso(Date.UTC(2026, 0, 14, 12)));
    assert.equal(toOnly.to, iso(Date.UTC(2026, 0, 15, 13)));
  });

  it('reads hour buckets when minute buckets have expired at from, and says so', async () => {
    const long = Date.UTC(2026, 0, 11, 9, 0, 0);
    const old = [
      logRecord({ id: 'old-1', createdAtMs: long + 5 * MINUTE_MS }),
      logRecord({ id: 'old-2', createdAtMs: long + 70 * MINUTE_MS }),
    ];
    const rollups = rollupsOf([...RECORDS, ...old]);
    rollups.expire('minute');
    const body = await metrics(`metric=requests&from=${long + 30 * MINUTE_MS}&to=${long + 90 * MINUTE_MS}&interval=60`, service(rollups));
    assert.equal(body.interval, 3600);
    assert.equal(body.resolution, 3600);
    assert.equal(body.from, iso(long));
    assert.equal(body.to, iso(long + 2 * HOUR_MS));
    assert.deepEqual(
      body.series[0].points.map((p: { requests: number }) => p.requests),
      [1, 1],
    );
    const recent = await metrics(`metric=requests&from=${NOW - DAY_MS}&to=${NOW}&interval=60`, service(rollups));
    assert.equal(recent.resolution, 60, 'minute buckets are still kept for the last two days');
  });

  it('merges the buckets for the total: a percentile of all requests, not an average of the points', async () => {
    const records = [
      ...Array.from({ length: 9 }, (_, i) => logRecord({ id: `fast-${i}`, createdAtMs: T0 + 1_000, latencyMs: 100 })),
      logRecord({ id: 'slow', createdAtMs: T0 + MINUTE_MS + 1_000, latencyMs: 10_000 }),
    ];
    const body = await metrics(`metric=latency_p50&from=${T0}&to=${T0 + 2 * MINUTE_MS}&interval=60`, service(rollupsOf(records)));
    const [series] = body.series;
    const [first, second] = series.points.map((p: { value: number }) => p.value);
    assert.ok(Math.abs(first - 100) <= 1 && Math.abs(second - 10_000) <= 100, JSON.stringify(series.points));
    assert.ok(Math.abs(series.total - 100) <= 1, `the median of all ten is 100, got ${series.total}`);
  });

  it('groups by each dimension, requests without a value as the group null', async () => {
    const groups = async (groupBy: string) =>
      Object.fromEntries(
        (await metrics(`metric=requests&${TEN_MINUTES}&groupBy=${groupBy}`)).series.map((s: any) => [String(s.group), s.requests]),
      );
    assert.deepEqual(await groups('user'), { alice: 3, bob: 3, carol: 1, dave: 2, erin: 2, null: 1 });
    assert.deepEqual(await groups('model'), { 'gpt-4o': 2, 'gpt-4o-mini': 7, 'claude-sonnet-4-6': 2, mystery: 1 });
    assert.deepEqual(await groups('provider'), { openai: 10, anthropic: 2 });
    assert.deepEqual(await groups('key'), { 'test-app': 10, batch: 2 });
    assert.deepEqual(await groups('property:env'), { prod: 6, dev: 2, null: 4 });
    assert.deepEqual(await groups('property:Feature'), { chat: 2, null: 10 });
  });

  it('gives each group every point and its own total', async () => {
    const body = await metrics(`metric=requests&${TEN_MINUTES}&groupBy=user`);
    const bob = body.series.find((s: any) => s.group === 'bob');
    assert.equal(bob.points.length, 10);
    assert.deepEqual(
      bob.points.map((p: { requests: number }) => p.requests),
      [1, 1, 0, 0, 0, 0, 0, 0, 0, 1],
    );
    assert.deepEqual(bob.points[2], { t: iso(T0 + 2 * MINUTE_MS), value: null, requests: 0 });
    assert.equal(bob.total, 3);
  });

  it('filters by user, model, provider, key and an indexed property', async () => {
    const requests = async (filter: string) => (await metrics(`metric=requests&${TEN_MINUTES}&${filter}`)).series[0].requests;
    assert.equal(await requests('userId=alice'), 3);
    assert.equal(await requests('model=claude-sonnet-4-6'), 2);
    assert.equal(await requests('provider=anthropic'), 2);
    assert.equal(await requests('key=batch'), 2);
    assert.equal(await requests('property.env=prod'), 6);
    assert.equal(await requests('property.ENV=prod'), 6, 'property names are case-insensitive, as headers');
    assert.equal(await requests('property.env=prod&userId=alice'), 2);
    assert.equal(await requests('userId=nobody'), 0);
    const nobody = await metrics(`metric=requests&${TEN_MINUTES}&userId=nobody`);
    assert.equal(nobody.series[0].total, null);
  });

  it('splits a filtered series, and a filter on the split dimension keeps its one group', async () => {
    const prodUsers = await metrics(`metric=requests&${TEN_MINUTES}&property.env=prod&groupBy=user`);
    assert.deepEqual(
      prodUsers.series.map((s: any) => [s.group, s.requests]),
      [
        ['alice', 2],
        ['erin', 2],
        ['bob', 1],
        [null, 1],
      ],
    );
    const devModels = await metrics(`metric=requests&${TEN_MINUTES}&groupBy=model&property.env=dev`);
    assert.deepEqual(
      devModels.series.map((s: any) => [s.group, s.requests]),
      [
        ['claude-sonnet-4-6', 1],
        ['gpt-4o-mini', 1],
      ],
    );
    const alice = await metrics(`metric=requests&${TEN_MINUTES}&groupBy=user&userId=alice`);
    assert.deepEqual(
      alice.series.map((s: any) => s.group),
      ['alice'],
    );
  });

  it('ranks groups by total, highest first, nulls last, ties by name, and keeps the limit', async () => {
    const cost = await metrics(`metric=cost&${TEN_MINUTES}&groupBy=user&limit=3`);
    assert.deepEqual(
      cost.series.map((s: any) => [s.group, s.total]),
      [
        ['carol', 2],
        ['alice', 1.5],
        ['bob', 0.250001],
      ],
    );
    const ttft = await metrics(`metric=ttft_p50&${TEN_MINUTES}&groupBy=user&limit=100`);
    assert.deepEqual(
      ttft.series.map((s: any) => s.group),
      ['carol', 'alice', 'bob', 'dave', 'erin', null],
      'users without a TTFT have a null total and come last, by name',
    );
    const ties = await metrics(`metric=requests&${TEN_MINUTES}&groupBy=user`);
    assert.deepEqual(
      ties.series.map((s: any) => s.group),
      ['alice', 'bob', 'dave', 'erin', 'carol', null],
    );
    assert.equal((await metrics(`metric=requests&${TEN_MINUTES}&groupBy=user&limit=1`)).series.length, 1);
  });

  it('reads one bucket per point, or one group per point with groupBy', async () => {
    const rollups = rollupsOf(RECORDS);
    await metrics(`metric=requests&${TEN_MINUTES}&userId=alice`, service(rollups));
    assert.equal(rollups.bucketReads.length, 10);
    assert.deepEqual(rollups.bucketReads[0]!.series, { dimensions: ['user'], values: ['alice'] });
    assert.equal(rollups.groupReads.length, 0);
    await metrics(`metric=requests&${TEN_MINUTES}&groupBy=user&property.env=prod`, service(rollups));
    assert.equal(rollups.groupReads.length, 10);
    assert.deepEqual(rollups.groupReads[0]!.dimensions, ['property:env', 'user']);
    assert.deepEqual([...rollups.groupReads[0]!.fixed], [['property:env', 'prod']]);
  });

  it('needs an admin key', async () => {
    const response = await service().handle(
      queryRequest('GET', '/v1/metrics?metric=requests', { 'lookout-auth': `Bearer ${QUERY_APP_KEY}` }),
    );
    assert.equal(response.status, 403);
  });
});

describe('GET /v1/metrics refuses, naming the parameter', () => {
  const cases: [string, string, RegExp?][] = [
    ['', 'metric', /required/],
    ['metric=latency_p42', 'metric', /latency_p95/],
    ['metric=requests&metric=errors', 'metric'],
    ['metric=requests&interval=300', 'interval', /60, 3600 or 86400/],
    ['metric=requests&from=yesterday', 'from'],
    ['metric=requests&to=2026-02-30', 'to'],
    [`metric=requests&from=${NOW}&to=${NOW - 1}`, 'from', /after/],
    ['metric=requests&groupBy=session', 'groupBy', /user, model, provider, key or property:<name>/],
    ['metric=requests&groupBy=property:', 'groupBy'],
    ['metric=requests&limit=0', 'limit'],
    ['metric=requests&limit=101', 'limit'],
    ['metric=requests&user=alice', 'user', /not a parameter/],
    [
      'metric=requests&property.team=ml',
      'property.team',
      /indexedProperties in lookout\.config\.ts.*rollups:rebuild -- --from <day> --to <day>/,
    ],
    ['metric=requests&groupBy=property:team', 'groupBy', /"team" is not indexed.*indexedProperties/],
    ['metric=requests&userId=a&model=b&provider=c', 'provider', /3 dimensions.*at most 2/],
    ['metric=requests&userId=a&property.env=prod&groupBy=model', 'groupBy', /at most 2/],
    [`metric=requests&from=${NOW - DAY_MS - 2 * HOUR_MS}&to=${NOW}&interval=60`, 'interval', /1560 points.*1500.*interval=3600/],
    [`metric=requests&from=${NOW - 800 * DAY_MS}&to=${NOW}`, 'from', /oldest rollups kept.*730 days/],
  ];
  for (const [query, parameter, detail] of cases) {
    it(`${query || '(no query)'}: ${parameter}`, async () => {
      const message = await refusal(query);
      assert.ok(message.startsWith(parameter), message);
      if (detail) assert.match(message, detail);
    });
  }

  it('allows two dimensions, and a filter on the split dimension counts once', async () => {
    await metrics('metric=requests&userId=alice&groupBy=user&model=gpt-4o');
    await metrics('metric=requests&property.env=prod&property.feature=chat');
  });

  it(`bounds the points at ${MAX_METRIC_POINTS}`, async () => {
    const to = T0;
    assert.equal(
      (await metrics(`metric=requests&from=${to - MAX_METRIC_POINTS * MINUTE_MS}&to=${to}&interval=60`)).series[0].points.length,
      1500,
    );
    await refusal(`metric=requests&from=${to - (MAX_METRIC_POINTS + 1) * MINUTE_MS}&to=${to}&interval=60`);
  });
});

describe('GET /v1/metrics/dimensions', () => {
  it('names the fixed dimensions and each indexed property, each one a groupBy that /v1/metrics takes', async () => {
    const rollups = rollupsOf(RECORDS);
    const svc = service(rollups);
    const response = await svc.handle(queryRequest('GET', '/v1/metrics/dimensions'));
    assert.equal(response.status, 200);
    const { dimensions } = response.body as { dimensions: string[] };
    assert.deepEqual(dimensions, ['user', 'model', 'provider', 'key', 'property:env', 'property:feature']);
    assert.deepEqual([rollups.bucketReads.length, rollups.groupReads.length], [0, 0], 'from the configuration alone');
    for (const dimension of dimensions) await metrics(`metric=requests&groupBy=${dimension}`, svc);
    const unindexed = inMemoryQueryService(undefined, { rollups, indexedProperties: [], now: () => NOW }).service;
    assert.deepEqual((await unindexed.handle(queryRequest('GET', '/v1/metrics/dimensions'))).body, {
      dimensions: ['user', 'model', 'provider', 'key'],
    });
  });

  it('needs an admin key and takes no parameters', async () => {
    const app = await service().handle(queryRequest('GET', '/v1/metrics/dimensions', { 'lookout-auth': `Bearer ${QUERY_APP_KEY}` }));
    assert.equal(app.status, 403);
    const extra = await service().handle(queryRequest('GET', '/v1/metrics/dimensions?metric=requests'));
    assert.equal(extra.status, 400);
    assert.match((extra.body as { error: { message: string } }).error.message, /^metric is not a parameter of this endpoint/);
  });
});
