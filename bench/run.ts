/**
 * `npm run bench`: the gateway's overhead over calling the provider directly, on the real local
 * stack, in one run: latency and throughput (buffered and streamed), the gateway process's memory
 * (per request and with large answers), and how soon a request's log is readable. Prints tables
 * and overwrites BENCHMARKS.md. Everything talks to 127.0.0.1 only; every loop is bounded in count
 * and in time. `BENCH_SCALE=0.2 npm run bench` is a quick trial (it still writes BENCHMARKS.md);
 * `BENCH_GATEWAY_CPU_PROFILE_DIR=/tmp/prof` also writes a V8 CPU profile of the gateway process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './bench-context.js';
import { BenchChild } from './child-ipc.js';
import { benchmarksMarkdown, resultTables, textTable, type BenchResults, type MachineFacts } from './benchmarks-report.js';
import { measureLargeResponse, measureSteadyStateMemory } from './gateway-memory.js';
import { compareDirectAndGateway, type LatencyComparison } from './latency-comparison.js';
import type { BenchStreamMode, MockReady } from './mock-process.js';
import { measureLogWrite } from './request-log-probe.js';
import type { MemorySnapshot, StackReady } from './stack-process.js';
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
    uncommittedGatewayChanges: command('git', ['status', '--porcelain', '--', 'lambdas']) ? 'yes' : 'no',
  };
}

function gatewayLogSummary(lines: readonly string[]): BenchResults['gatewayLog'] {
  let warnings = 0;
  let errors = 0;
  const messages = new Map<string, number>();
  const errorDetails: string[] = [];
  for (const line of lines) {
    let level = '';
    let message = line.slice(0, 160);
    let detail = line;
    try {
      const entry = JSON.parse(line) as { level?: string; message?: string; error?: string; requestId?: string };
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

async function main(): Promise<void> {
  const started = performance.now();
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  if (!(scale > 0 && scale <= 1)) throw new Error('BENCH_SCALE must be in (0, 1]');

  progress('starting the mock provider and the local stack (DynamoDB Local, S3 server, gateway)');
  const mock = await BenchChild.start<MockReady>('./mock-process.ts', {}, 30_000);
  let stack: BenchChild<StackReady> | undefined;
  try {
    const profileDir = process.env.BENCH_GATEWAY_CPU_PROFILE_DIR;
    stack = await BenchChild.start<StackReady>(
      './stack-process.ts',
      { BENCH_UPSTREAM_URL: mock.ready.url },
      90_000,
      profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    );
    const targets = chatTargets(mock.ready.url, stack.ready.url);
    const context: BenchContext = { stack, mock, direct: targets.direct, gateway: targets.gateway, scale };
    const memoryTimeline: BenchResults['memoryTimeline'] = [];
    const checkpoint = async (label: string) => {
      memoryTimeline.push({ label, memory: await stack!.call<MemorySnapshot>('memoryAfterGc') });
    };
    await checkpoint('started');

    // 1. Buffered, then 2a. streamed as the mock streams by default (5 ms between events).
    const buffered: LatencyComparison[] = [];
    const streamed: LatencyComparison[] = [];
    for (const concurrency of [1, 8]) {
      progress(`buffered chat completion, concurrency ${concurrency}`);
      buffered.push(
        await compareDirectAndGateway(context, {
          scenario: 'buffered',
          stream: false,
          concurrency,
          maxRequests: concurrency === 1 ? 2_000 : 6_000,
          maxMs: 12_000,
          rounds: 4,
          warmupRequests: concurrency === 1 ? 300 : 600,
        }),
      );
      await checkpoint(`after buffered, concurrency ${concurrency}`);
    }
    progress('streamed chat completion, 5 ms between events, concurrency 1');
    streamed.push(
      await compareDirectAndGateway(context, {
        scenario: 'streamed, 5 ms gaps',
        stream: true,
        concurrency: 1,
        maxRequests: 400,
        maxMs: 10_000,
        rounds: 4,
        warmupRequests: 30,
      }),
    );
    progress('request-log write, buffered');
    const logWrites = [await measureLogWrite(context, 'buffered', false, 80)];
    await checkpoint('after streamed (5 ms gaps) and log-write probe');

    // From here the mock answers every streamed request itself, with no gaps (or large answers).
    await mock.call('streamMode', { kind: 'zero-gap' } satisfies BenchStreamMode);
    for (const concurrency of [1, 8]) {
      progress(`streamed chat completion, no gaps, concurrency ${concurrency}`);
      streamed.push(
        await compareDirectAndGateway(context, {
          scenario: 'streamed, no gaps',
          stream: true,
          concurrency,
          maxRequests: concurrency === 1 ? 2_000 : 6_000,
          maxMs: 12_000,
          rounds: 4,
          warmupRequests: concurrency === 1 ? 200 : 400,
        }),
      );
      await checkpoint(`after streamed (no gaps), concurrency ${concurrency}`);
    }
    progress('request-log write, streamed');
    logWrites.push(await measureLogWrite(context, 'streamed (no gaps)', true, 80));

    progress('gateway memory: 300 + 2 × 2,000 streamed requests');
    const steadyMemory = await measureSteadyStateMemory(context, { warmupRequests: 300, roundRequests: 2_000, rounds: 2, concurrency: 8 });

    const largeResponses = [];
    for (const size of [5 * MiB, 25 * MiB, 50 * MiB]) {
      progress(`large streamed answer, ${size / MiB} MiB`);
      largeResponses.push(await measureLargeResponse(context, size, 3));
    }
    await checkpoint('after large answers');

    await checkpoint('end of run');
    const results: BenchResults = {
      memoryTimeline,
      machine: machineFacts(stack.ready.nodeVersion),
      maxBodyBytes: stack.ready.maxBodyBytes,
      inlineBodyMaxBytes: stack.ready.inlineBodyMaxBytes,
      buffered,
      streamed,
      steadyMemory,
      largeResponses,
      logWrites,
      gatewayLog: gatewayLogSummary(stack.outputLines),
      durationSeconds: (performance.now() - started) / 1000,
    };
    process.stdout.write(`\n${resultTables(results).map(textTable).join('\n\n')}\n\n`);
    for (const detail of results.gatewayLog.errorDetails) process.stdout.write(`gateway error: ${detail}\n`);
    writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), benchmarksMarkdown(results));
    progress(`wrote BENCHMARKS.md (${results.durationSeconds.toFixed(0)} s)`);
  } finally {
    await benchAgent.close();
    await stack?.stop();
    await mock.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
