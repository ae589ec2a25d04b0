/**
 * `npm run bench`: Lookout (the local stack, logging on), Portkey's gateway and a bare Node
 * passthrough (the floor), and Lookout with its log store stubbed, each beside direct calls to
 * the same loopback mock, in one run: added latency (buffered and streamed, per chunk),
 * throughput at 32 connections with every log checked, CPU per request by process, peak memory,
 * and the cold start of the bundles; the response cache's HIT and MISS on Redis (a stack of its
 * own, started for them) and its HIT on DynamoDB Local; what a quota check adds on the Redis
 * counters (the same stack) and on DynamoDB Local's; then Lookout's memory with many and with
 * large answers, and how soon a log is readable; last, with every other process stopped, the
 * usage rollups on a DynamoDB Local of their own (the aggregator's and the rebuild's throughput,
 * and a one-day metrics query at two sizes of traffic). Writes the raw results to
 * bench/results/<date>-<commit>.json and renders BENCHMARKS.md from them (`npm run bench:report`
 * renders again from any results file).
 *
 * Options (after `--`): `--profile` records a V8 CPU profile of the Lookout process during the
 * 32-connection runs into bench/results/profiles/ and prints where its time goes; `--label <text>`
 * notes what the run is (kept in the results). `BENCH_SCALE=0.2` is a quick trial.
 * `BENCH_ONLY=rollups` runs the usage rollups' phase alone (with BENCH_SCALE as set): it prints
 * its tables and writes its figures to a JSON file in the temporary directory, never to
 * bench/results or BENCHMARKS.md, which take whole runs only. Every process
 * is started here on free loopback ports and stopped at the end, on failure, or when the bench is
 * interrupted; children also exit on their own when the bench goes away.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './bench-context.js';
import {
  RESULTS_DIR,
  writeResults,
  type BenchRun,
  type GatewayFacts,
  type GatewayLogSummary,
  type MachineFacts,
  type QuotasRun,
  type ResponseCacheRun,
} from './bench-results.js';
import { consoleTables, rollupsQueriesTable, rollupsThroughputTable, textTable } from './benchmarks-report.js';
import { BenchChild } from './child-ipc.js';
import { buildLambdaStyleBundle, measureColdStart } from './cold-start.js';
import { profileSummaryText, summarizeCpuProfile, type ProfileSummary } from './cpu-profile-summary.js';
import type { FloorReady } from './floor-passthrough-process.js';
import { checkGatewaysForward, compareSequential, compareThroughput, type GatewayBench, type GatewayName } from './gateway-comparison.js';
import { measureLargeResponse, measureSteadyStateMemory } from './gateway-memory.js';
import type { BenchStreamMode, MockReady } from './mock-process.js';
import { descendantNamed } from './process-cpu-time.js';
import { compareQuotas, QUOTA_BACKENDS, QUOTA_VARIANTS, type QuotaTarget } from './quota-comparison.js';
import { renderBenchmarks } from './report.js';
import { measureLogWrite } from './request-log-probe.js';
import { compareResponseCache } from './response-cache-comparison.js';
import { compareRollups, type RollupsComparison, type RollupsPlan } from './rollups-comparison.js';
import type { MemorySnapshot, StackReady } from './stack-process.js';
import type { StubbedLogGatewayReady } from './stubbed-log-gateway-process.js';
import { benchAgent, chatTargets } from './timed-request.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const MiB = 1024 * 1024;

function progress(message: string): void {
  process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
}

function command(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    return stderr || 'unknown';
  }
}

function machineFacts(gatewayNode: string): MachineFacts {
  // `java -version` writes to stderr.
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const javaVersion = `${java.stderr ?? ''}${java.stdout ?? ''}`.split('\n')[0]?.trim() || 'unknown';
  return {
    date: new Date().toISOString(),
    nproc: command('nproc', []),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    totalMemory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${osType()} ${release()}`,
    benchNode: process.version,
    gatewayNode,
    java: javaVersion,
    commit: command('git', ['rev-parse', '--short', 'HEAD']),
    commitSubject: command('git', ['log', '-1', '--format=%s']),
    uncommittedGatewayChanges: command('git', ['status', '--porcelain', '--', 'lambdas'])
      .split('\n')
      .map((line) => line.slice(3).trim())
      .filter(Boolean),
  };
}

function gatewayLogSummary(lines: readonly string[]): GatewayLogSummary {
  let warnings = 0;
  let errors = 0;
  const messages = new Map<string, number>();
  const errorDetails: string[] = [];
  for (const line of lines) {
    let level = '';
    let message = line.slice(0, 160);
    let detail = line;
    try {
      const entry = JSON.parse(line) as { level?: string; message?: string; error?: string };
      level = entry.level ?? '';
      message = entry.message ?? message;
      detail = `${message}: ${(entry.error ?? '')
        .split('\n')
        .slice(0, 4)
        .map((l) => l.trim())
        .join(' ← ')}`;
    } catch {
      level = /error/i.test(line) ? 'ERROR' : '';
    }
    if (level === 'WARN') warnings++;
    else if (level === 'ERROR' || level === 'CRITICAL') errors++;
    else continue;
    messages.set(message, (messages.get(message) ?? 0) + 1);
    if (level !== 'WARN' && errorDetails.length < 3) errorDetails.push(detail.slice(0, 600));
  }
  const topMessages = [...messages]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([message, n]) => `${n}× "${message}"`);
  return { warnings, errors, topMessages, errorDetails };
}

function parseOptions(argv: string[]): { profile: boolean; label: string | null } {
  let profile = false;
  let label: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--profile') profile = true;
    else if (argv[i] === '--label') label = argv[++i] ?? null;
    else throw new Error(`unknown option ${argv[i]} (known: --profile, --label <text>)`);
  }
  return { profile, label };
}

const children: BenchChild<unknown>[] = [];
/** Bundles the bench builds for itself: one place, emptied at the start (a killed run leaves it) and removed at the end. */
const buildDir = join(tmpdir(), 'lookout-bench-build');
rmSync(buildDir, { recursive: true, force: true });
mkdirSync(buildDir, { recursive: true });

/** Keeps every child that started, so that a failure later stops it too. */
async function tracked<Ready>(starting: Promise<BenchChild<Ready>>): Promise<BenchChild<Ready>> {
  const child = await starting;
  children.push(child);
  return child;
}

async function stopChildren(): Promise<void> {
  await Promise.allSettled(children.splice(0).map((child) => child.stop()));
}

async function main(): Promise<void> {
  const started = performance.now();
  const options = parseOptions(process.argv.slice(2));
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  if (!(scale > 0 && scale <= 1)) throw new Error('BENCH_SCALE must be in (0, 1]');
  const runId = new Date()
    .toISOString()
    .replace(/[^0-9]/g, '')
    .slice(0, 14);
  const only = process.env.BENCH_ONLY;
  if (only !== undefined && only !== 'rollups') throw new Error(`BENCH_ONLY=${only}: the one phase that runs alone is rollups`);
  if (only === 'rollups') {
    await measureRollupsAlone(scale, runId);
    return;
  }

  // While nothing else runs: each import is a process of its own, timed on a quiet machine.
  progress('cold start: building the Lambda bundles, 20 fresh imports of the gateway bundle');
  const coldStart = await measureColdStart(Math.max(3, Math.round(20 * scale)));
  if (coldStart.error) progress(`cold start failed: ${coldStart.error}`);

  // The stubbed-log gateway runs as the Lambda does: from a bundle built the same way, in plain Node.
  const stubBundle = await buildLambdaStyleBundle('bench/stubbed-log-gateway-process.ts', join(buildDir, 'stubbed-log-gateway'));

  progress('starting the mock provider and the local stack (DynamoDB Local, S3 server, gateway)');
  const mock = await tracked(BenchChild.start<MockReady>('./mock-process.ts', { startTimeoutMs: 30_000 }));
  const stack = await tracked(
    BenchChild.start<StackReady>('./stack-process.ts', { env: { BENCH_UPSTREAM_URL: mock.ready.url }, startTimeoutMs: 90_000 }),
  );
  progress('starting Portkey, the floor passthrough and Lookout with the log store stubbed');
  const portkeyPackage = JSON.parse(readFileSync(join(repoRoot, 'node_modules/@portkey-ai/gateway/package.json'), 'utf8')) as {
    version: string;
  };
  const [floor, portkey, stubbed] = await Promise.all([
    tracked(
      BenchChild.start<FloorReady>('./floor-passthrough-process.ts', {
        env: { BENCH_UPSTREAM_URL: mock.ready.url },
        startTimeoutMs: 30_000,
      }),
    ),
    tracked(
      BenchChild.start<{ url: string; nodeVersion: string }>('../node_modules/@portkey-ai/gateway/build/start-server.js', {
        plainNode: true,
        execArgv: ['--import', fileURLToPath(new URL('./portkey-preload.ts', import.meta.url))],
        args: ['--port=0', '--headless'],
        startTimeoutMs: 30_000,
      }),
    ),
    tracked(
      BenchChild.start<StubbedLogGatewayReady>(stubBundle, {
        plainNode: true,
        env: { BENCH_GATEWAY_ENV: JSON.stringify(stack.ready.gatewayEnvironment), BENCH_APP_KEY: stack.ready.appKey },
        startTimeoutMs: 30_000,
      }),
    ),
  ]);

  const jvmPid = descendantNamed(stack.pid, 'java') ?? null;
  if (jvmPid === null) progress('DynamoDB Local JVM not found under the stack process; its CPU is not reported');
  const bench: GatewayBench = {
    targets: [
      { name: 'direct', url: `${mock.ready.url}/v1/chat/completions`, gatewayPid: null },
      { name: 'floor', url: `${floor.ready.url}/v1/chat/completions`, gatewayPid: floor.pid },
      { name: 'portkey', url: `${portkey.ready.url}/v1/chat/completions`, gatewayPid: portkey.pid },
      { name: 'lookout', url: `${stack.ready.url}/openai/v1/chat/completions`, gatewayPid: stack.pid },
      { name: 'lookoutStubbedLog', url: `${stubbed.ready.url}/openai/v1/chat/completions`, gatewayPid: stubbed.pid },
    ],
    mock,
    stack,
    jvmPid,
    portkeyUpstream: `${mock.ready.url}/v1`,
    scale,
    progress,
  };
  progress('checking that every gateway forwards to the mock and hands back its answer, buffered and streamed');
  await checkGatewaysForward(bench);

  const targets = chatTargets(mock.ready.url, stack.ready.url);
  const context: BenchContext = { stack, mock, direct: targets.direct, gateway: targets.gateway, scale };
  const memoryTimeline: BenchRun['memoryTimeline'] = [];
  const checkpoint = async (label: string) => {
    memoryTimeline.push({ label, memory: await stack.call<MemorySnapshot>('memoryAfterGc') });
  };
  await checkpoint('started');

  progress('buffered, sequential: 5 targets × 8 rounds');
  const sequentialBuffered = await compareSequential(bench, {
    scenario: 'buffered',
    stream: false,
    rounds: 8,
    requestsPerRound: 250,
    maxMsPerRound: 3_000,
    warmupRequests: 300,
  });
  await checkpoint('after buffered, sequential');

  progress('streamed (5 ms between events), sequential: 5 targets × 4 rounds');
  const streamed = await compareSequential(bench, {
    scenario: 'streamed, 5 ms gaps',
    stream: true,
    rounds: 4,
    requestsPerRound: 30,
    maxMsPerRound: 3_000,
    warmupRequests: 20,
  });
  await checkpoint('after streamed, sequential');

  const profileDir = join(RESULTS_DIR, 'profiles');
  const profileFile = join(profileDir, `${runId}-lookout.cpuprofile`);
  progress('throughput: 32 connections, 5 targets × 2 rounds of 3 s');
  const throughput = await compareThroughput(bench, {
    connections: 32,
    rounds: 2,
    msPerRound: 3_000,
    warmupMs: 1_000,
    runId,
    around: options.profile
      ? {
          async start() {
            mkdirSync(profileDir, { recursive: true });
            await stack.call('startProfile', { intervalUs: 500 });
          },
          async stop() {
            await stack.call('stopProfile', { file: profileFile });
          },
        }
      : undefined,
  });
  let profile: ProfileSummary | null = null;
  if (options.profile) {
    const lookout = throughput.targets.lookout;
    profile = summarizeCpuProfile(
      profileFile,
      "the 32-connection phase: Lookout's warm-up and rounds (the other targets' turns in between are idle for it)",
      lookout.requests + lookout.warmupRequests,
    );
    progress(`wrote ${profileFile}`);
  }
  await checkpoint('after throughput, 32 connections');

  const { responseCache, quotas } = await measureOnRedis(stubBundle, mock, stack, runId, scale);

  progress('request-log write, buffered');
  const logWrites = [await measureLogWrite(context, 'buffered', false, 80)];
  // From here the mock answers every streamed request itself, with no gaps (or large answers).
  await mock.call('streamMode', { kind: 'zero-gap' } satisfies BenchStreamMode);
  progress('request-log write, streamed');
  logWrites.push(await measureLogWrite(context, 'streamed (no gaps)', true, 80));

  progress('Lookout memory: 300 + 2 × 1,500 streamed requests at concurrency 8');
  const steadyMemory = await measureSteadyStateMemory(context, { warmupRequests: 300, roundRequests: 1_500, rounds: 2, concurrency: 8 });
  await checkpoint('after memory rounds');

  const largeResponses = [];
  for (const size of [5 * MiB, 25 * MiB, 50 * MiB]) {
    progress(`large streamed answer, ${size / MiB} MiB`);
    largeResponses.push(await measureLargeResponse(context, size, 3));
  }
  await checkpoint('end of run');

  const description = (name: GatewayName): GatewayFacts => {
    switch (name) {
      case 'floor':
        return {
          label: 'floor',
          description:
            '`bench/floor-passthrough-process.ts`, its own process: a node:http server that pipes each request to the mock over a keep-alive node:http agent and pipes the answer back. The floor for a Node hop.',
          nodeVersion: floor.ready.nodeVersion,
        };
      case 'portkey':
        return {
          label: `Portkey ${portkeyPackage.version}`,
          description: `\`@portkey-ai/gateway\` ${portkeyPackage.version} from node_modules (\`build/start-server.js --headless\`, plain Node), routed to the mock by \`x-portkey-provider: openai\` and \`x-portkey-custom-host\`; it logs nothing. Its stream reader waits 25 ms (a \`setTimeout\` in its source) before it relays a stream's first event. \`bench/portkey-preload.ts\` keeps it on 127.0.0.1 and makes its streams work with the \`@hono/node-server\` npm resolves for it (without it every stream fails with "TypeError: immutable"; one Response copy per stream).`,
          nodeVersion: portkey.ready.nodeVersion,
        };
      case 'lookout':
        return {
          label: 'Lookout',
          description:
            "the local stack as `npm start` runs it (`startLocalStack`, through the tests' fixture, under tsx as `npm start` is): the local API Gateway front, the gateway and query API Lambdas and the S3 server in one process, DynamoDB Local's JVM its child; every request logged.",
          nodeVersion: stack.ready.nodeVersion,
        };
      case 'lookoutStubbedLog':
        return {
          label: 'Lookout, log store stubbed',
          description:
            '`bench/stubbed-log-gateway-process.ts`, its own process, bundled as the Lambdas are (esbuild, minified) and run by plain Node (no tsx): `createGatewayHandler` with the deployed upstream adapter, keys in memory and a `recordRequest` that does nothing, behind `createLocalHttpServer`. The request path without the log write.',
          nodeVersion: stubbed.ready.nodeVersion,
        };
    }
  };
  const run: BenchRun = {
    schemaVersion: 1,
    label: options.label,
    machine: machineFacts(stack.ready.nodeVersion),
    options: { scale, profile: options.profile },
    durationSeconds: 0,
    gateways: {
      floor: description('floor'),
      portkey: description('portkey'),
      lookout: description('lookout'),
      lookoutStubbedLog: description('lookoutStubbedLog'),
    },
    maxBodyBytes: stack.ready.maxBodyBytes,
    inlineBodyMaxBytes: stack.ready.inlineBodyMaxBytes,
    sequentialBuffered,
    streamed,
    throughput,
    coldStart,
    logWrites,
    steadyMemory,
    largeResponses,
    memoryTimeline,
    gatewayLog: gatewayLogSummary(stack.outputLines),
    profile,
    responseCache,
    quotas,
  };
  await benchAgent.close();
  await stopChildren();
  run.rollups = await measureRollups(scale);
  run.durationSeconds = (performance.now() - started) / 1000;

  const file = writeResults(run);
  process.stdout.write(`\n${consoleTables(run).map(textTable).join('\n\n')}\n\n`);
  if (profile) process.stdout.write(`${profileSummaryText(profile)}\n\n`);
  for (const detail of run.gatewayLog.errorDetails) process.stdout.write(`gateway error: ${detail}\n`);
  const comparedWith = renderBenchmarks(file);
  progress(
    `wrote ${file} and BENCHMARKS.md${comparedWith ? ` (before and after against ${comparedWith})` : ''} in ${run.durationSeconds.toFixed(0)} s`,
  );
}

/**
 * The usage rollups' counts at `BENCH_SCALE`: the issue's 10,000 and then 100,000 requests for
 * the day, and the aggregator's records in whole batches. Most of the phase's time is DynamoDB
 * Local storing the request log (a few hundred items a second at best here).
 */
function rollupsPlan(scale: number): RollupsPlan {
  return {
    aggregatorRecords: Math.max(1, Math.round(4 * scale)) * 100,
    batchSize: 100,
    sizes: [10_000, 100_000].map((requests) => Math.max(100, Math.round(requests * scale))),
    queryCalls: Math.max(5, Math.round(20 * scale)),
    writeConcurrency: 4,
  };
}

async function measureRollups(scale: number): Promise<RollupsComparison> {
  const plan = rollupsPlan(scale);
  progress(
    `usage rollups: a DynamoDB Local of their own; the aggregator (${plan.aggregatorRecords} records, once and twice), then ${plan.sizes.join(' and ')} requests for a day, rebuilt and queried`,
  );
  return compareRollups(plan, progress);
}

/** `BENCH_ONLY=rollups`: the rollups' phase alone, its tables on stdout and its figures in a temporary file. */
async function measureRollupsAlone(scale: number, runId: string): Promise<void> {
  const rollups = await measureRollups(scale);
  const file = join(tmpdir(), `lookout-bench-rollups-${runId}.json`);
  writeFileSync(file, `${JSON.stringify(rollups, null, 1)}\n`);
  process.stdout.write(`\n${[rollupsQueriesTable(rollups), rollupsThroughputTable(rollups)].map(textTable).join('\n\n')}\n\n`);
  progress(`wrote ${file} (BENCH_ONLY: not a results file, BENCHMARKS.md untouched) in ${rollups.durationSeconds.toFixed(0)} s`);
}

/**
 * The figures of the Redis backends: a stack of its own on a redis-server of its own (the main
 * stack keeps `npm start`'s defaults, the DynamoDB Local tables, which give the informational
 * figures beside them), and for the response cache the log-stubbed gateway on the same Redis.
 * They run only for these phases, so the rest of the run is measured without them; the quotas
 * reuse the cache's stack rather than start a third one (another DynamoDB Local JVM on the same two cores).
 */
async function measureOnRedis(
  stubBundle: string,
  mock: BenchChild<MockReady>,
  stack: BenchChild<StackReady>,
  runId: string,
  scale: number,
): Promise<{ responseCache: ResponseCacheRun; quotas: QuotasRun }> {
  progress('response cache: starting a local stack on redis-server, and the log-stubbed gateway on the same Redis');
  const redisStack = await tracked(
    BenchChild.start<StackReady>('./stack-process.ts', {
      env: { BENCH_UPSTREAM_URL: mock.ready.url, BENCH_REDIS: '1' },
      startTimeoutMs: 90_000,
    }),
  );
  const redisStubbed = await tracked(
    BenchChild.start<StubbedLogGatewayReady>(stubBundle, {
      plainNode: true,
      env: { BENCH_GATEWAY_ENV: JSON.stringify(redisStack.ready.gatewayEnvironment), BENCH_APP_KEY: redisStack.ready.appKey },
      startTimeoutMs: 30_000,
    }),
  );
  const chatPath = '/openai/v1/chat/completions';
  const onRedis = { url: `${redisStack.ready.url}${chatPath}`, appKey: redisStack.ready.appKey, idle: () => redisStack.call('idle') };
  progress('response cache: HIT and MISS on Redis, HIT with the log store stubbed, HIT on DynamoDB Local, each beside direct');
  const comparison = await compareResponseCache(
    {
      targets: [
        {
          name: 'direct',
          url: `${mock.ready.url}/v1/chat/completions`,
          appKey: redisStack.ready.appKey,
          expect: null,
          mayFallBack: false,
          idle: async () => {},
        },
        { name: 'hit', ...onRedis, expect: 'HIT', mayFallBack: false },
        { name: 'miss', ...onRedis, expect: 'MISS', mayFallBack: false },
        {
          name: 'hitStubbedLog',
          url: `${redisStubbed.ready.url}${chatPath}`,
          appKey: redisStack.ready.appKey,
          expect: 'HIT',
          mayFallBack: false,
          idle: () => redisStubbed.call('idle'),
        },
        {
          name: 'hitDynamoDbLocal',
          url: `${stack.ready.url}${chatPath}`,
          appKey: stack.ready.appKey,
          expect: 'HIT',
          // DynamoDB Local (a JVM at nice 19) can outlast the 50 ms cacheTimeoutMs; npm start then asks the provider.
          mayFallBack: true,
          idle: () => stack.call('idle'),
        },
      ],
      mock,
      runId,
      scale,
      progress,
    },
    {
      buffered: { scenario: 'cache, buffered', stream: false, rounds: 8, requestsPerRound: 100, maxMsPerRound: 3_000, warmupRequests: 50 },
      streamed: { scenario: 'cache, streamed', stream: true, rounds: 4, requestsPerRound: 30, maxMsPerRound: 3_000, warmupRequests: 10 },
    },
  );
  // The quotas' rounds have no use for it, and it would only hold memory and a connection to Redis.
  await redisStubbed.stop();

  progress('quotas: no quota, RateLimit-Policy and a usd quota, on the Redis counters and on DynamoDB Local, beside direct');
  const stacks = { redis: redisStack, dynamoDbLocal: stack };
  const quotaTargets: QuotaTarget[] = [
    {
      name: 'direct',
      backend: null,
      variant: 'none',
      url: `${mock.ready.url}/v1/chat/completions`,
      appKey: redisStack.ready.appKey,
      idle: async () => {},
    },
    ...QUOTA_BACKENDS.flatMap((backend) =>
      QUOTA_VARIANTS.map((variant) => ({
        name: `${backend}-${variant}`,
        backend,
        variant,
        url: `${stacks[backend].ready.url}${chatPath}`,
        appKey: stacks[backend].ready.appKey,
        idle: () => stacks[backend].call('idle'),
      })),
    ),
  ];
  const quotas = await compareQuotas(
    { targets: quotaTargets, mock, runId, scale, progress },
    // A turn ends at 100 requests or 1.5 s: the Redis turns take under half a second; DynamoDB Local's
    // quota turns (about 17 ms a request) end by time, which keeps the phase under a minute.
    { scenario: 'quotas, buffered', rounds: 8, requestsPerRound: 100, maxMsPerRound: 1_500, warmupRequests: 50 },
  );
  await redisStack.stop();
  const version = /v=(\S+)/.exec(command('redis-server', ['--version']))?.[1] ?? 'unknown';
  const redisServer = `redis-server ${version}`;
  return {
    // The stack's log covers both phases: it is one process.
    responseCache: { ...comparison, redisServer, redisStackLog: gatewayLogSummary(redisStack.outputLines) },
    quotas: { ...quotas, redisServer },
  };
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping the bench's processes`);
    void stopChildren().finally(() => {
      rmSync(buildDir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await benchAgent.close().catch(() => undefined);
    await stopChildren();
    rmSync(buildDir, { recursive: true, force: true });
  });
