/**
 * Scenarios 1 and 2: the same chat completion sent straight to the mock and through the
 * gateway, in alternating rounds (direct, gateway, gateway, direct, ...) so that drift in the
 * machine's load falls on both sides alike.
 */
import { scaled, type BenchContext } from './bench-context.js';
import { mergeLoads, runClosedLoop, type LoadResult } from './closed-loop-load.js';
import { summarizeLatency, type LatencySummary } from './latency-statistics.js';
import { cpuTime, type CpuTime } from './process-cpu-time.js';
import { chatRequest, timedChatRequest, type ChatTarget } from './timed-request.js';

/** Pause after each round, before the next side starts. */
const QUIET_MS = 300;

export interface SideResult {
  total: LatencySummary;
  ttfb: LatencySummary;
  throughputRps: number;
  failures: number;
  firstFailure: string | undefined;
  /** CPU ms per request, by process, while this side's requests ran. */
  cpuPerRequest: CpuPerRequest;
}

export interface CpuPerRequest {
  client: number;
  mock: number;
  gateway: number;
  dynamoDbLocal: number;
}

interface CpuSnapshot {
  client: CpuTime;
  mock: CpuTime;
  stack: CpuTime;
}

export interface LatencyComparison {
  scenario: string;
  stream: boolean;
  concurrency: number;
  direct: SideResult;
  gateway: SideResult;
}

export interface ComparisonPlan {
  scenario: string;
  stream: boolean;
  concurrency: number;
  /** Per side, over all rounds. */
  maxRequests: number;
  /** Per side, over all rounds. */
  maxMs: number;
  rounds: number;
  /** Requests per side before measuring (not counted). */
  warmupRequests: number;
}

export async function compareDirectAndGateway(context: BenchContext, plan: ComparisonPlan): Promise<LatencyComparison> {
  const chat = chatRequest(context.stack.ready.appKey, plan.stream, plan.scenario.replace(/[^a-z0-9-]+/gi, '-'));
  const load = (target: ChatTarget, maxRequests: number, maxMs: number) =>
    runClosedLoop(() => timedChatRequest(target, chat), { concurrency: plan.concurrency, maxRequests, maxMs });

  const warmup = scaled(context, plan.warmupRequests);
  await load(context.direct, warmup, 10_000);
  await load(context.gateway, warmup, 10_000);

  const rounds: Record<'direct' | 'gateway', LoadResult[]> = { direct: [], gateway: [] };
  const cpu: Record<'direct' | 'gateway', CpuPerRequest> = { direct: noCpu(), gateway: noCpu() };
  const perRoundRequests = Math.ceil(scaled(context, plan.maxRequests, 20) / plan.rounds);
  const perRoundMs = Math.ceil(scaled(context, plan.maxMs, 300) / plan.rounds);
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? [context.direct, context.gateway] : [context.gateway, context.direct];
    for (const target of order) {
      const before = await cpuSnapshot(context);
      const result = await load(target, perRoundRequests, perRoundMs);
      // Let the gateway finish the round's log writes, so their CPU counts for this side and
      // does not slow the next one.
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      addCpu(cpu[target.name], before, await cpuSnapshot(context));
      rounds[target.name].push(result);
    }
  }
  return {
    scenario: plan.scenario,
    stream: plan.stream,
    concurrency: plan.concurrency,
    direct: sideResult(mergeLoads(rounds.direct), cpu.direct),
    gateway: sideResult(mergeLoads(rounds.gateway), cpu.gateway),
  };
}

function sideResult(load: LoadResult, cpu: CpuPerRequest): SideResult {
  const requests = load.responses.length + load.failures || 1;
  return {
    cpuPerRequest: {
      client: cpu.client / requests,
      mock: cpu.mock / requests,
      gateway: cpu.gateway / requests,
      dynamoDbLocal: cpu.dynamoDbLocal / requests,
    },
    total: summarizeLatency(load.responses.map((r) => r.totalMs)),
    ttfb: summarizeLatency(load.responses.map((r) => r.ttfbMs)),
    throughputRps: load.responses.length / (load.elapsedMs / 1000),
    failures: load.failures,
    firstFailure: load.firstFailure,
  };
}

function noCpu(): CpuPerRequest {
  return { client: 0, mock: 0, gateway: 0, dynamoDbLocal: 0 };
}

async function cpuSnapshot(context: BenchContext): Promise<CpuSnapshot> {
  const [mock, stack] = await Promise.all([context.mock.call<CpuTime>('cpuTime'), context.stack.call<CpuTime>('cpuTime')]);
  return { client: cpuTime(), mock, stack };
}

/** Adds the CPU ms spent between two snapshots (totals; divided per request at the end). */
function addCpu(total: CpuPerRequest, before: CpuSnapshot, after: CpuSnapshot): void {
  total.client += after.client.selfMs - before.client.selfMs;
  total.mock += after.mock.selfMs - before.mock.selfMs;
  total.gateway += after.stack.selfMs - before.stack.selfMs;
  total.dynamoDbLocal += after.stack.descendantsMs - before.stack.descendantsMs;
}
