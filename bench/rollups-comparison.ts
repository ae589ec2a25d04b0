/**
 * Usage rollups: how fast the aggregator adds the request log's stream to the rollups, how fast a
 * rebuild recomputes a day from the log, and that a metrics query's cost does not grow with the
 * traffic it sums. Everything runs on a DynamoDB Local of its own (a fresh data directory, the
 * tables `npm start` makes), started for this phase alone, after the other phases' processes
 * have stopped.
 *
 * 1. The aggregator: the real Lambda handler (`createRollupAggregatorHandler`) fed the stream
 *    events of a mixed workload logged over the last few minutes, 100 records a batch (as the
 *    local stream poller hands them), one shard. Then the same with every batch delivered twice
 *    in a row, as Lambda may after a timeout: the second delivery finds its records at or before
 *    the shard's checkpoint and writes nothing, so its time is what the checkpoint skip costs.
 * 2. Flat queries: requests logged over one whole past UTC day (BatchWriteItem, 25 items a call,
 *    a few calls at once), that day's rollups rebuilt with `RollupRebuild` (its throughput is
 *    measured there), then `GET /v1/metrics?metric=error_rate` and `metric=latency_p95` for
 *    exactly that day at interval 3600, through the query API handler, timed, with a loopback
 *    proxy between the query API and DynamoDB Local counting the items each call read. Then more
 *    requests for the same day, rebuilt again, measured again.
 *    The day is the latest whose minute buckets have expired (three days back with the default
 *    retention), not yesterday: a rebuild of yesterday also writes its minute buckets, about 20 a
 *    request at these rates, which at the larger size would keep DynamoDB Local busy for most of
 *    an hour, and a query by the hour reads none of them. How many it would have written is kept.
 *
 * Every figure is checked and the bench fails otherwise: no batch reported a failure, the
 * all-traffic day bucket grew by exactly the records fed (once, also when each batch came twice),
 * the rebuild read every logged request, and each query answered 200 with one point per hour and
 * every logged request counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createDocumentClient } from '../lambdas/adapters/dynamodb/document-client.js';
import { GatewayKeyTable } from '../lambdas/adapters/dynamodb/gateway-key-table.js';
import { requestLogItem } from '../lambdas/adapters/dynamodb/request-log-item-shape.js';
import { RequestLogSamples } from '../lambdas/adapters/dynamodb/request-log-samples.js';
import { bucketPartition } from '../lambdas/adapters/dynamodb/rollup-item.js';
import { RollupTable } from '../lambdas/adapters/dynamodb/rollup-table.js';
import { rollupSampleFromItem } from '../lambdas/adapters/dynamodb/stream-record-image.js';
import { RollupRebuild } from '../lambdas/app/rollups/rollup-rebuild.js';
import { EnvironmentVariable } from '../lambdas/contract/environment-variables.js';
import { generateGatewayKey, newGatewayKeyRecord } from '../lambdas/core/auth/gateway-key.js';
import { DAY_MS } from '../lambdas/core/query/time-window.js';
import { utcDay, type RequestLogRecord } from '../lambdas/core/request-log/request-log-record.js';
import { dimensionValues, rollupDimensions } from '../lambdas/core/rollups/rollup-dimensions.js';
import { bucketStartMs } from '../lambdas/core/rollups/rollup-resolution.js';
import { seriesOfRequest } from '../lambdas/core/rollups/rollup-series.js';
import { parseRuntimeConfig } from '../lambdas/core/runtime-config.js';
import { createQueryApiHandler } from '../lambdas/handlers/query-api.js';
import { createRollupAggregatorHandler } from '../lambdas/handlers/rollup-aggregator.js';
import { DynamoDbLocal } from '../lambdas/local/dynamodb-local.js';
import { freePort } from '../lambdas/local/free-port.js';
import { LOCAL_BODIES_BUCKET, LOCAL_TABLE_NAMES } from '../lambdas/local/local-stack.js';
import { ensureLocalTables } from '../lambdas/local/local-tables.js';
import { rollupStreamEvent, streamed } from '../test/support/rollup-stream-events.js';
import { DynamoDbReadCounter, type ReadCount } from './dynamodb-read-counter.js';
import { summarizeLatency, type LatencySummary } from './latency-statistics.js';
import { descendantNamed, machineBusyMs, processCpuMs } from './process-cpu-time.js';
import { rollupWorkload, WORKLOAD_DESCRIPTION, WORKLOAD_INDEXED_PROPERTIES } from './rollups-workload.js';

export const ROLLUP_METRICS = ['error_rate', 'latency_p95'] as const;
export type RollupMetric = (typeof ROLLUP_METRICS)[number];

export interface RollupsPlan {
  /** Records of the aggregator's run with each batch once, and again of the run with each batch twice. */
  aggregatorRecords: number;
  /** Records per stream event: what the local poller hands the handler. */
  batchSize: number;
  /** Requests logged for the day, cumulative: each size adds the difference to the one before. */
  sizes: number[];
  /** Timed calls of each metric at each size. */
  queryCalls: number;
  /** BatchWriteItem calls in flight while the day's log is written. */
  writeConcurrency: number;
}

/** CPU used while a part ran, in % of one core: this (the bench's) process, DynamoDB Local's JVM, every other process on the machine. */
export interface PartCpu {
  bench: number;
  jvm: number | null;
  others: number;
}

export interface AggregatorRun {
  records: number;
  batches: number;
  /** Handler time per batch (the first delivery's, where a batch came twice). */
  batchMs: LatencySummary;
  /** Records over the sum of the handler times of their first deliveries. */
  recordsPerSecond: number;
  /** The all-traffic day bucket's `requests` grew by this much: the records, each counted once. */
  counted: number;
  cpu: PartCpu;
}

export interface RedeliveredRun extends AggregatorRun {
  /** Handler time of each batch's second delivery, right after its first. */
  secondDeliveryMs: LatencySummary;
  /** Records over the handler times of both deliveries. */
  recordsPerSecondWithRedelivery: number;
}

export interface RebuildRun {
  requests: number;
  buckets: number;
  ms: number;
  recordsPerSecond: number;
  cpu: PartCpu;
}

export interface LogWriteRun {
  items: number;
  ms: number;
  itemsPerSecond: number;
  cpu: PartCpu;
}

export interface MetricQueryRun {
  metric: RollupMetric;
  calls: number;
  /** Handler time per call (the query API Lambda in this process, DynamoDB Local through the counting proxy). */
  ms: LatencySummary;
  /** Items each call read from the rollups table: the lowest and the highest of the calls. */
  rollupItemsPerCall: { min: number; max: number };
  /** Items each call read from the other tables (the key lookup, when its cache had expired). */
  otherItemsPerCall: { min: number; max: number };
  /** DynamoDB requests each call made, lowest and highest, and by operation over all the calls. */
  requestsPerCall: { min: number; max: number };
  operations: Record<string, number>;
  /** Bytes of DynamoDB's answers per call, median: the buckets grow histogram bins as their traffic does. */
  answerBytesPerCall: number;
  /** The answer's points (hours) and its metric over the day, from the last call. */
  points: number;
  total: number | null;
}

export interface FlatQueriesAtSize {
  /** Requests logged for the day, in all. */
  requests: number;
  logWrite: LogWriteRun;
  rebuild: RebuildRun;
  queries: Record<RollupMetric, MetricQueryRun>;
}

export interface RollupsComparison {
  workload: string;
  indexedProperties: string[];
  batchSize: number;
  /** The aggregator's batches before the timed ones (a shard of their own, left out of the figures). */
  warmupBatches: number;
  aggregator: { once: AggregatorRun; twice: RedeliveredRun };
  flat: {
    /**
     * The logged UTC day (`YYYY-MM-DD`) and how many days before the run's day it is: the latest
     * whose minute buckets have all expired (`rollupRetentionDays.minute` + 1), so the rebuild
     * writes the hour and day buckets only.
     */
    day: string;
    dayOffset: number;
    intervalSeconds: number;
    warmupCalls: number;
    writeConcurrency: number;
    /** Minute buckets a rebuild of the larger size would also have written, had its day still been in the minute buckets' retention (yesterday). */
    minuteBucketsNotWritten: number;
    sizes: FlatQueriesAtSize[];
  };
  rollupRetentionDays: { minute: number; hour: number; day: number };
  durationSeconds: number;
}

const WARMUP_BATCHES = 1;
const WARMUP_CALLS = 3;
const INTERVAL_SECONDS = 3600;
const ONCE_SHARD = 'shardId-bench-once';
const TWICE_SHARD = 'shardId-bench-twice';
const WARMUP_SHARD = 'shardId-bench-warmup';

/** Runs the whole phase on a DynamoDB Local of its own, which it stops (and removes) at the end, also on failure. */
export async function compareRollups(plan: RollupsPlan, progress: (message: string) => void): Promise<RollupsComparison> {
  const started = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-bench-rollups-'));
  const dynamo = new DynamoDbLocal(await freePort(), join(dataDir, 'dynamodb'));
  let counter: DynamoDbReadCounter | undefined;
  let documents: DynamoDBDocumentClient | undefined;
  try {
    await dynamo.start();
    const admin = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureLocalTables(admin, LOCAL_TABLE_NAMES);
    admin.destroy();
    const jvmPid = descendantNamed(process.pid, 'java') ?? null;
    const env = rollupsEnvironment(dynamo.endpoint);
    documents = createDocumentClient(env);
    const cpu = () => cpuMeter(jvmPid);

    const aggregator = await measureAggregator(plan, env, documents, cpu, progress);

    counter = await DynamoDbReadCounter.start(dynamo.endpoint);
    const flat = await measureFlatQueries(plan, env, documents, counter, cpu, progress);
    const config = parseRuntimeConfig(env);
    return {
      workload: WORKLOAD_DESCRIPTION,
      indexedProperties: WORKLOAD_INDEXED_PROPERTIES,
      batchSize: plan.batchSize,
      warmupBatches: WARMUP_BATCHES,
      aggregator,
      flat,
      rollupRetentionDays: config.rollupRetentionDays,
      durationSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    documents?.destroy();
    await counter?.close();
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The environment the query API and the aggregator get from the CDK stack, aimed at `endpoint`. */
function rollupsEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_REGION: 'local',
    [EnvironmentVariable.dynamodbEndpoint]: endpoint,
    // The query API builds its S3 client without calling it; no metrics route reads a body.
    [EnvironmentVariable.s3Endpoint]: 'http://127.0.0.1:9',
    [EnvironmentVariable.keysTable]: LOCAL_TABLE_NAMES.keys,
    [EnvironmentVariable.requestLogTable]: LOCAL_TABLE_NAMES.requestLog,
    [EnvironmentVariable.bodiesBucket]: LOCAL_BODIES_BUCKET,
    [EnvironmentVariable.quotasTable]: LOCAL_TABLE_NAMES.quotas,
    [EnvironmentVariable.quotaCountersTable]: LOCAL_TABLE_NAMES.quotaCounters,
    [EnvironmentVariable.rollupsTable]: LOCAL_TABLE_NAMES.rollups,
    [EnvironmentVariable.runtimeConfig]: JSON.stringify({ indexedProperties: WORKLOAD_INDEXED_PROPERTIES }),
  };
}

/** Starts measuring CPU; the function it returns gives each side's share of a core since then. */
function cpuMeter(jvmPid: number | null): () => PartCpu {
  const wall = performance.now();
  const bench = processCpuMs(process.pid);
  const jvm = jvmPid === null ? 0 : processCpuMs(jvmPid);
  const machine = machineBusyMs();
  return () => {
    const wallMs = Math.max(1, performance.now() - wall);
    const benchMs = processCpuMs(process.pid) - bench;
    const jvmMs = jvmPid === null ? 0 : processCpuMs(jvmPid) - jvm;
    const othersMs = Math.max(0, machineBusyMs() - machine - benchMs - jvmMs);
    const share = (ms: number) => (ms / wallMs) * 100;
    return { bench: share(benchMs), jvm: jvmPid === null ? null : share(jvmMs), others: share(othersMs) };
  };
}

/** The all-traffic day buckets' `requests` summed over `days`, read consistently. */
async function dayTotals(documents: DynamoDBDocumentClient, days: readonly string[]): Promise<number> {
  let total = 0;
  for (const day of days) {
    const { Item } = await documents.send(
      new GetCommand({
        TableName: LOCAL_TABLE_NAMES.rollups,
        Key: { pk: bucketPartition({ resolution: 'day', startMs: Date.parse(`${day}T00:00:00Z`) }, []), sk: '[]' },
        ConsistentRead: true,
      }),
    );
    total += typeof Item?.requests === 'number' ? Item.requests : 0;
  }
  return total;
}

function daysOf(records: readonly RequestLogRecord[]): string[] {
  return [...new Set(records.map((record) => utcDay(record.createdAtMs)))];
}

async function measureAggregator(
  plan: RollupsPlan,
  env: Record<string, string>,
  documents: DynamoDBDocumentClient,
  cpu: () => () => PartCpu,
  progress: (message: string) => void,
): Promise<{ once: AggregatorRun; twice: RedeliveredRun }> {
  const handler = createRollupAggregatorHandler(env);
  const nowMs = Date.now();
  const recent = (count: number, idPrefix: string, seed: number) =>
    rollupWorkload({ count, fromMs: nowMs - 5 * 60_000, toMs: nowMs, idPrefix, seed });
  /** The shard's stream events, `batchSize` records each, numbered in order; built before any is timed. */
  const events = (shardId: string, records: RequestLogRecord[]) => {
    const numbered = streamed(records, 1_000_000);
    const batches = [];
    for (let start = 0; start < numbered.length; start += plan.batchSize)
      batches.push(rollupStreamEvent(shardId, numbered.slice(start, start + plan.batchSize)));
    return batches;
  };
  const deliver = async (event: ReturnType<typeof rollupStreamEvent>, where: string): Promise<number> => {
    const t0 = performance.now();
    const answer = await handler(event);
    const ms = performance.now() - t0;
    if (answer.batchItemFailures.length > 0) {
      throw new Error(`rollups, ${where}: the aggregator reported a failure from ${answer.batchItemFailures[0]!.itemIdentifier}`);
    }
    return ms;
  };
  const checkCounted = async (records: RequestLogRecord[], before: number, where: string): Promise<number> => {
    const counted = (await dayTotals(documents, daysOf(records))) - before;
    if (counted !== records.length) {
      throw new Error(`rollups, ${where}: the day bucket grew by ${counted} for ${records.length} records (expected each once)`);
    }
    return counted;
  };

  const warmup = recent(WARMUP_BATCHES * plan.batchSize, 'agg-warmup', 11);
  for (const event of events(WARMUP_SHARD, warmup)) await deliver(event, 'warm-up');

  const onceRecords = recent(plan.aggregatorRecords, 'agg-once', 12);
  const onceEvents = events(ONCE_SHARD, onceRecords);
  progress(`  aggregator: ${onceRecords.length} records in ${onceEvents.length} batches of ${plan.batchSize}, each once`);
  let before = await dayTotals(documents, daysOf(onceRecords));
  let meter = cpu();
  const onceMs: number[] = [];
  for (const event of onceEvents) onceMs.push(await deliver(event, 'each batch once'));
  const onceCpu = meter();
  const once: AggregatorRun = {
    records: onceRecords.length,
    batches: onceEvents.length,
    batchMs: summarizeLatency(onceMs),
    recordsPerSecond: (onceRecords.length / sum(onceMs)) * 1000,
    counted: await checkCounted(onceRecords, before, 'each batch once'),
    cpu: onceCpu,
  };

  const twiceRecords = recent(plan.aggregatorRecords, 'agg-twice', 13);
  const twiceEvents = events(TWICE_SHARD, twiceRecords);
  progress(`  aggregator: ${twiceRecords.length} records in ${twiceEvents.length} batches, each delivered twice`);
  before = await dayTotals(documents, daysOf(twiceRecords));
  meter = cpu();
  const firstMs: number[] = [];
  const secondMs: number[] = [];
  for (const event of twiceEvents) {
    firstMs.push(await deliver(event, 'first delivery'));
    secondMs.push(await deliver(event, 'second delivery'));
  }
  const twiceCpu = meter();
  const twice: RedeliveredRun = {
    records: twiceRecords.length,
    batches: twiceEvents.length,
    batchMs: summarizeLatency(firstMs),
    recordsPerSecond: (twiceRecords.length / sum(firstMs)) * 1000,
    counted: await checkCounted(twiceRecords, before, 'each batch twice'),
    cpu: twiceCpu,
    secondDeliveryMs: summarizeLatency(secondMs),
    recordsPerSecondWithRedelivery: (twiceRecords.length / (sum(firstMs) + sum(secondMs))) * 1000,
  };
  return { once, twice };
}

async function measureFlatQueries(
  plan: RollupsPlan,
  env: Record<string, string>,
  documents: DynamoDBDocumentClient,
  counter: DynamoDbReadCounter,
  cpu: () => () => PartCpu,
  progress: (message: string) => void,
): Promise<RollupsComparison['flat']> {
  const config = parseRuntimeConfig(env);
  // Yesterday's rebuild would also write its minute buckets (kept two days), some 20 per request
  // at these rates: hundreds of thousands at the larger size, which DynamoDB Local stores at a few
  // hundred a second. A day-long query at interval 3600 reads none of them.
  const dayOffset = config.rollupRetentionDays.minute + 1;
  const dayStartMs = Date.parse(`${utcDay(Date.now())}T00:00:00Z`) - dayOffset * DAY_MS;
  const day = utcDay(dayStartMs);
  const adminKey = generateGatewayKey();
  await new GatewayKeyTable(documents, LOCAL_TABLE_NAMES.keys).create(
    newGatewayKeyRecord(adminKey, 'bench-rollups-admin', 'admin', Date.now()),
  );
  const queryApi = createQueryApiHandler({ ...env, [EnvironmentVariable.dynamodbEndpoint]: counter.url });
  const rebuild = new RollupRebuild({
    samples: new RequestLogSamples(documents, LOCAL_TABLE_NAMES.requestLog),
    store: new RollupTable(documents, LOCAL_TABLE_NAMES.rollups, config.rollupRetentionDays),
    indexedProperties: config.indexedProperties,
    maxValuesPerDay: config.rollupMaxValuesPerDay,
    retention: config.rollupRetentionDays,
    logRetentionDays: config.retentionDays,
    logger: {
      warn(message: string) {
        progress(`  rebuild: ${message}`);
      },
    },
    now: Date.now,
  });
  const sizes: FlatQueriesAtSize[] = [];
  let logged: RequestLogRecord[] = [];
  try {
    for (const size of plan.sizes) {
      const added = rollupWorkload({
        count: size - logged.length,
        fromMs: dayStartMs,
        toMs: dayStartMs + DAY_MS,
        idPrefix: `log-${size}`,
        seed: size,
      });
      logged = [...logged, ...added];
      progress(`  flat queries: logging ${added.length} more requests for ${day} (${logged.length} in all)`);
      const logWrite = await writeLog(added, plan.writeConcurrency, documents, cpu);
      progress(`  flat queries: ${logWrite.itemsPerSecond.toFixed(0)} items/s written; rebuilding ${day}`);
      const meter = cpu();
      const t0 = performance.now();
      const summary = await rebuild.rebuild(rebuild.daysBetween(day, day));
      const rebuildMs = performance.now() - t0;
      const rebuildRun: RebuildRun = {
        requests: summary.requests,
        buckets: summary.buckets,
        ms: rebuildMs,
        recordsPerSecond: (summary.requests / rebuildMs) * 1000,
        cpu: meter(),
      };
      if (summary.requests !== logged.length) {
        throw new Error(`rollups: the rebuild of ${day} read ${summary.requests} requests of the ${logged.length} logged`);
      }
      progress(`  flat queries: rebuilt at ${rebuildRun.recordsPerSecond.toFixed(0)} records/s; ${plan.queryCalls} calls of each metric`);
      const queries = await measureQueries(queryApi, counter, adminKey, day, dayStartMs, logged.length, plan.queryCalls);
      sizes.push({ requests: logged.length, logWrite, rebuild: rebuildRun, queries });
    }
  } finally {
    await queryApi.close();
  }
  return {
    day,
    dayOffset,
    intervalSeconds: INTERVAL_SECONDS,
    warmupCalls: WARMUP_CALLS,
    writeConcurrency: plan.writeConcurrency,
    minuteBucketsNotWritten: minuteBuckets(logged, config.indexedProperties),
    sizes,
  };
}

/** Writes the records as the gateway's items, 25 a BatchWriteItem, `concurrency` calls at once, unprocessed items sent again. */
async function writeLog(
  records: readonly RequestLogRecord[],
  concurrency: number,
  documents: DynamoDBDocumentClient,
  cpu: () => () => PartCpu,
): Promise<LogWriteRun> {
  const table = LOCAL_TABLE_NAMES.requestLog;
  const retentionDays = 30;
  const meter = cpu();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < records.length) {
        const start = next;
        next += 25;
        let pending = records.slice(start, start + 25).map((record) => ({ PutRequest: { Item: requestLogItem(record, retentionDays) } }));
        while (pending.length > 0) {
          const { UnprocessedItems } = await documents.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
          pending = (UnprocessedItems?.[table] ?? []) as typeof pending;
        }
      }
    }),
  );
  const ms = performance.now() - t0;
  return { items: records.length, ms, itemsPerSecond: (records.length / ms) * 1000, cpu: meter() };
}

type QueryApiHandler = ReturnType<typeof createQueryApiHandler>;

async function measureQueries(
  queryApi: QueryApiHandler,
  counter: DynamoDbReadCounter,
  adminKey: string,
  day: string,
  dayStartMs: number,
  logged: number,
  calls: number,
): Promise<Record<RollupMetric, MetricQueryRun>> {
  const from = new Date(dayStartMs).toISOString();
  const to = new Date(dayStartMs + DAY_MS).toISOString();
  const call = async (metric: RollupMetric): Promise<{ ms: number; reads: ReadCount; answer: MetricsAnswer }> => {
    counter.take();
    const event = metricsEvent({ metric, from, to, interval: String(INTERVAL_SECONDS) }, adminKey);
    const t0 = performance.now();
    const result = (await queryApi(event, {} as Context)) as APIGatewayProxyResult;
    const ms = performance.now() - t0;
    const reads = counter.take();
    const where = `rollups, GET /v1/metrics?metric=${metric} for ${day}`;
    if (result.statusCode !== 200) throw new Error(`${where}: ${result.statusCode} ${result.body.slice(0, 300)}`);
    const answer = JSON.parse(result.body) as MetricsAnswer;
    const series = answer.series[0];
    if (answer.series.length !== 1 || !series) throw new Error(`${where}: ${answer.series.length} series, not one`);
    if (series.points.length !== DAY_MS / (INTERVAL_SECONDS * 1000)) throw new Error(`${where}: ${series.points.length} points, not 24`);
    if (series.requests !== logged) throw new Error(`${where}: ${series.requests} requests counted of the ${logged} logged`);
    return { ms, reads, answer };
  };
  for (let i = 0; i < WARMUP_CALLS; i++) for (const metric of ROLLUP_METRICS) await call(metric);
  const samples = new Map<RollupMetric, Awaited<ReturnType<typeof call>>[]>(ROLLUP_METRICS.map((metric) => [metric, []]));
  // The two metrics take turns, so drift in the machine's load falls on both alike.
  for (let i = 0; i < calls; i++) for (const metric of ROLLUP_METRICS) samples.get(metric)!.push(await call(metric));
  const range = (values: number[]) => ({ min: Math.min(...values), max: Math.max(...values) });
  const result = {} as Record<RollupMetric, MetricQueryRun>;
  for (const metric of ROLLUP_METRICS) {
    const runs = samples.get(metric)!;
    const rollupItems = runs.map((r) => r.reads.byTable[LOCAL_TABLE_NAMES.rollups] ?? 0);
    const operations: Record<string, number> = {};
    for (const run of runs)
      for (const [operation, n] of Object.entries(run.reads.requests)) operations[operation] = (operations[operation] ?? 0) + n;
    const last = runs.at(-1)!.answer.series[0]!;
    result[metric] = {
      metric,
      calls: runs.length,
      ms: summarizeLatency(runs.map((r) => r.ms)),
      rollupItemsPerCall: range(rollupItems),
      otherItemsPerCall: range(runs.map((r, i) => r.reads.items - rollupItems[i]!)),
      requestsPerCall: range(runs.map((r) => Object.values(r.reads.requests).reduce((a, b) => a + b, 0))),
      operations,
      answerBytesPerCall: summarizeLatency(runs.map((r) => r.reads.answerBytes)).p50,
      points: last.points.length,
      total: last.total,
    };
  }
  return result;
}

interface MetricsAnswer {
  series: { total: number | null; requests: number; points: { t: string; value: number | null; requests: number }[] }[];
}

/** The REST proxy event API Gateway (and `npm start`'s front) hands the query API for a GET with this query. */
function metricsEvent(query: Record<string, string>, adminKey: string): APIGatewayProxyEvent {
  const headers = { 'Lookout-Auth': `Bearer ${adminKey}`, Host: 'localhost' };
  const path = '/v1/metrics';
  return {
    resource: '/v1/{proxy+}',
    path,
    httpMethod: 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: query,
    multiValueQueryStringParameters: Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]])),
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: 'GET',
      identity: { sourceIp: '127.0.0.1', userAgent: 'lookout-bench' },
      path,
      stage: 'local',
      requestId: `bench-${performance.now()}`,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: '/v1/{proxy+}',
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

/** The distinct minute buckets these requests count in (nothing folds at the workload's few values). */
function minuteBuckets(records: readonly RequestLogRecord[], indexedProperties: readonly string[]): number {
  const dimensions = rollupDimensions(indexedProperties);
  const buckets = new Set<string>();
  for (const record of records) {
    const sample = rollupSampleFromItem({ ...record });
    const minute = bucketStartMs(sample.createdAtMs, 'minute');
    for (const series of seriesOfRequest(dimensionValues(sample, dimensions)))
      buckets.add(`${minute}${JSON.stringify(series.values)}${series.dimensions.join('+')}`);
  }
  return buckets.size;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
