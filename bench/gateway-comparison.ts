/**
 * The three gateways (and Lookout with its log store stubbed) beside direct calls to the same
 * mock, in one run. Every measurement runs in rounds; each round visits every target once (direct
 * included) in an order that rotates from round to round, so drift in the machine's load falls on
 * all of them alike. After a target's turn the bench waits for it to be idle (Lookout: its last
 * request log stored) before the next one starts, so each turn's CPU is its own.
 */
import { performance } from 'node:perf_hooks';
import type { BenchChild } from './child-ipc.js';
import { mergeLoads, runClosedLoop, type LoadResult } from './closed-loop-load.js';
import { summarizeLatency, type LatencySummary } from './latency-statistics.js';
import type { MockReady } from './mock-process.js';
import { machineBusyMs, processCpuMs } from './process-cpu-time.js';
import { residentMemory, sampleRss } from './process-memory.js';
import { listLoggedRequestIds } from './request-log-probe.js';
import type { StackReady } from './stack-process.js';
import { request } from 'undici';
import { benchAgent, chatRequest, timedChatRequest, type ChatRequest, type TimedResponse } from './timed-request.js';

export const GATEWAY_NAMES = ['floor', 'portkey', 'lookout', 'lookoutStubbedLog'] as const;
export type GatewayName = (typeof GATEWAY_NAMES)[number];
export type TargetName = 'direct' | GatewayName;

export interface Target {
  name: TargetName;
  url: string;
  /** The process that does the gateway's work; null for direct. */
  gatewayPid: number | null;
}

export interface GatewayBench {
  /** Direct first, then the gateways. */
  targets: Target[];
  mock: BenchChild<MockReady>;
  stack: BenchChild<StackReady>;
  /** DynamoDB Local's JVM (a child of the stack process), when found. */
  jvmPid: number | null;
  /** The mock's OpenAI base URL, as Portkey's `x-portkey-custom-host` takes it. */
  portkeyUpstream: string;
  /** `BENCH_SCALE`: multiplies request counts and durations. */
  scale: number;
  progress(message: string): void;
}

/**
 * CPU ms per request by process. `gateway` is the target's own process; `jvm` is DynamoDB
 * Local's, whoever ran; `others` is every process not the bench's (the machine is shared: that
 * is the noise the run had).
 */
export interface CpuPerRequest {
  client: number;
  mock: number;
  gateway: number | null;
  jvm: number | null;
  others: number;
}

export interface ChunkTiming {
  /** Median number of SSE events per answer (every side gets the same events). */
  events: number;
  /**
   * Each event's arrival (since send) minus the median arrival of the same event direct, over
   * every event of every answer: what a client sees added to each chunk. Direct's own row is its
   * spread around its medians, the noise floor.
   */
  delayVsDirect: LatencySummary;
  /** The same, measured from the answer's first event: the relay's delay per chunk, TTFB left out. */
  delayAfterFirstEvent: LatencySummary;
}

export interface SequentialTargetResult {
  n: number;
  failures: number;
  firstFailure: string | undefined;
  total: LatencySummary;
  ttfb: LatencySummary;
  cpuPerRequest: CpuPerRequest;
  chunks: ChunkTiming | null;
}

export interface SequentialComparison {
  scenario: string;
  stream: boolean;
  rounds: number;
  targets: Record<TargetName, SequentialTargetResult>;
}

export interface SequentialPlan {
  scenario: string;
  stream: boolean;
  rounds: number;
  requestsPerRound: number;
  maxMsPerRound: number;
  warmupRequests: number;
}

function scaled(bench: GatewayBench, value: number, floor = 1): number {
  return Math.max(floor, Math.round(value * bench.scale));
}

/** The order of round `round`: the targets rotated by one each round. */
function roundOrder<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

interface CpuSnapshot {
  client: number;
  mock: number;
  byPid: Map<number, number>;
  machine: number;
}

function cpuSnapshot(bench: GatewayBench): CpuSnapshot {
  const { user, system } = process.cpuUsage();
  const byPid = new Map<number, number>();
  for (const target of bench.targets) if (target.gatewayPid !== null) byPid.set(target.gatewayPid, processCpuMs(target.gatewayPid));
  if (bench.jvmPid !== null) byPid.set(bench.jvmPid, processCpuMs(bench.jvmPid));
  return { client: (user + system) / 1000, mock: processCpuMs(bench.mock.pid), byPid, machine: machineBusyMs() };
}

/** CPU ms between two snapshots, for one target's turn. */
interface CpuSpent {
  client: number;
  mock: number;
  gateway: number | null;
  jvm: number | null;
  others: number;
}

function cpuSpent(bench: GatewayBench, target: Target, before: CpuSnapshot, after: CpuSnapshot): CpuSpent {
  const of = (pid: number | null) => (pid === null ? null : (after.byPid.get(pid) ?? 0) - (before.byPid.get(pid) ?? 0));
  let ours = after.client - before.client + after.mock - before.mock;
  for (const [pid, ms] of after.byPid) ours += ms - (before.byPid.get(pid) ?? 0);
  return {
    client: after.client - before.client,
    mock: after.mock - before.mock,
    gateway: of(target.gatewayPid),
    jvm: of(bench.jvmPid),
    others: Math.max(0, after.machine - before.machine - ours),
  };
}

function addCpu(total: CpuSpent, spent: CpuSpent): void {
  total.client += spent.client;
  total.mock += spent.mock;
  if (total.gateway !== null && spent.gateway !== null) total.gateway += spent.gateway;
  if (total.jvm !== null && spent.jvm !== null) total.jvm += spent.jvm;
  total.others += spent.others;
}

function noCpu(bench: GatewayBench, target: Target): CpuSpent {
  return { client: 0, mock: 0, gateway: target.gatewayPid === null ? null : 0, jvm: bench.jvmPid === null ? null : 0, others: 0 };
}

function perRequest(cpu: CpuSpent, requests: number): CpuPerRequest {
  const n = requests || 1;
  return {
    client: cpu.client / n,
    mock: cpu.mock / n,
    gateway: cpu.gateway === null ? null : cpu.gateway / n,
    jvm: cpu.jvm === null ? null : cpu.jvm / n,
    others: cpu.others / n,
  };
}

/** Waits until the target has nothing left to do: Lookout until its request logs are stored. */
async function settle(bench: GatewayBench, target: Target): Promise<number> {
  const start = performance.now();
  if (target.name === 'lookout') await bench.stack.call('idle');
  await new Promise((resolve) => setTimeout(resolve, 50));
  return performance.now() - start - 50;
}

function loadOf(target: Target, chat: ChatRequest, limits: { concurrency: number; maxRequests: number; maxMs: number }) {
  return runClosedLoop(() => timedChatRequest(target, chat), limits);
}

/** Concurrency 1: one request at a time, after warm-up, in rotating rounds. */
export async function compareSequential(bench: GatewayBench, plan: SequentialPlan): Promise<SequentialComparison> {
  const chat = chatRequest(bench.stack.ready.appKey, plan.stream, plan.scenario.replace(/[^a-z0-9-]+/gi, '-'), {
    portkeyUpstream: bench.portkeyUpstream,
    includeUsage: true,
  });
  for (const target of bench.targets) {
    await loadOf(target, chat, { concurrency: 1, maxRequests: scaled(bench, plan.warmupRequests, 5), maxMs: 15_000 });
    await settle(bench, target);
  }
  await bench.mock.call('forgetRequests');
  const loads = new Map<TargetName, LoadResult[]>(bench.targets.map((t) => [t.name, []]));
  const cpu = new Map<TargetName, CpuSpent>(bench.targets.map((t) => [t.name, noCpu(bench, t)]));
  const requestsPerRound = scaled(bench, plan.requestsPerRound, 5);
  const maxMsPerRound = scaled(bench, plan.maxMsPerRound, 300);
  for (let round = 0; round < plan.rounds; round++) {
    for (const target of roundOrder(bench.targets, round)) {
      const before = cpuSnapshot(bench);
      loads.get(target.name)!.push(await loadOf(target, chat, { concurrency: 1, maxRequests: requestsPerRound, maxMs: maxMsPerRound }));
      await settle(bench, target);
      addCpu(cpu.get(target.name)!, cpuSpent(bench, target, before, cpuSnapshot(bench)));
    }
    await bench.mock.call('forgetRequests');
  }
  const merged = new Map([...loads].map(([name, l]) => [name, mergeLoads(l)]));
  const direct = merged.get('direct')!;
  const targets = {} as Record<TargetName, SequentialTargetResult>;
  for (const target of bench.targets) {
    const load = merged.get(target.name)!;
    targets[target.name] = {
      n: load.responses.length,
      failures: load.failures,
      firstFailure: load.firstFailure,
      total: summarizeLatency(load.responses.map((r) => r.totalMs)),
      ttfb: summarizeLatency(load.responses.map((r) => r.ttfbMs)),
      cpuPerRequest: perRequest(cpu.get(target.name)!, load.responses.length + load.failures),
      chunks: plan.stream ? chunkTiming(direct.responses, load.responses) : null,
    };
  }
  return { scenario: plan.scenario, stream: plan.stream, rounds: plan.rounds, targets };
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/** Per-event arrival through a target against direct's median arrival of the same event. */
export function chunkTiming(direct: readonly TimedResponse[], through: readonly TimedResponse[]): ChunkTiming {
  const events = medianOf(direct.map((r) => r.eventOffsetsMs.length));
  const directMedian: number[] = [];
  const directMedianAfterFirst: number[] = [];
  for (let k = 0; k < events; k++) {
    const answers = direct.filter((r) => r.eventOffsetsMs.length > k);
    directMedian.push(medianOf(answers.map((r) => r.eventOffsetsMs[k]!)));
    directMedianAfterFirst.push(medianOf(answers.map((r) => r.eventOffsetsMs[k]! - r.eventOffsetsMs[0]!)));
  }
  const delays: number[] = [];
  const delaysAfterFirst: number[] = [];
  for (const response of through) {
    const offsets = response.eventOffsetsMs;
    for (let k = 0; k < Math.min(events, offsets.length); k++) {
      delays.push(offsets[k]! - directMedian[k]!);
      if (k > 0) delaysAfterFirst.push(offsets[k]! - offsets[0]! - directMedianAfterFirst[k]!);
    }
  }
  return {
    events: medianOf(through.map((r) => r.eventOffsetsMs.length)),
    delayVsDirect: summarizeLatency(delays),
    delayAfterFirstEvent: summarizeLatency(delaysAfterFirst),
  };
}

export interface LogCompleteness {
  /** Answers that came back with a Lookout-Id. */
  answered: number;
  /** Of those, listed by the query API afterwards. */
  stored: number;
  /** Listed under the round's user but never answered (a write with an id nobody got). */
  unexpected: number;
  /** Ids the query API listed more than once. */
  duplicates: number;
  /** Answers without a Lookout-Id. */
  withoutId: number;
}

export interface ThroughputTargetResult {
  connections: number;
  /** Requests of the warm-up turn (not counted below). */
  warmupRequests: number;
  requests: number;
  failures: number;
  firstFailure: string | undefined;
  /** Answers per second while the load ran. */
  rps: number;
  latency: LatencySummary;
  /** The load's wall time, over all rounds. */
  loadMs: number;
  /** From the end of each round until the target was idle (Lookout: its logs stored), summed. */
  drainMs: number;
  /** Each round's drain. */
  drainMsByRound: number[];
  /** Answers per second over load and drain together: the rate at which logs keep up. */
  rpsWithDrain: number;
  cpuPerRequest: CpuPerRequest;
  /** CPU of each process while the load ran, in % of one core. */
  utilisation: { client: number; mock: number; gateway: number | null; jvm: number | null; others: number };
  /** Highest VmRSS of the gateway process while the load ran (sampled every 25 ms). */
  peakRssBytes: number | null;
  /** VmHWM of the gateway process after the run (its peak since it started). */
  highWaterRssBytes: number | null;
  /** Lookout only: were all its logs stored exactly once. */
  logs: LogCompleteness | null;
}

export interface ThroughputComparison {
  connections: number;
  rounds: number;
  targets: Record<TargetName, ThroughputTargetResult>;
}

export interface ThroughputPlan {
  connections: number;
  rounds: number;
  msPerRound: number;
  warmupMs: number;
  /** Distinguishes this run's log items from earlier runs' in the same data directory. */
  runId: string;
  /** Called before the warm-up and after the last round (before the logs are checked): a profiler, say. */
  around?: { start(): Promise<void>; stop(): Promise<void> };
}

/** `connections` keep-alive connections, each sending its next request when the last answer ended. */
export async function compareThroughput(bench: GatewayBench, plan: ThroughputPlan): Promise<ThroughputComparison> {
  const chat = chatRequest(bench.stack.ready.appKey, false, 'throughput', { portkeyUpstream: bench.portkeyUpstream });
  const userOf = (round: number) => `bench-throughput-${plan.runId}-${round}`;
  const withUser = (chat: ChatRequest, user: string): ChatRequest => ({ ...chat, headers: { ...chat.headers, 'lookout-user-id': user } });
  const limits = (maxMs: number) => ({ concurrency: plan.connections, maxRequests: 10_000_000, maxMs });

  await plan.around?.start();
  const warmups = new Map<TargetName, number>();
  for (const target of bench.targets) {
    const warmup = await loadOf(target, withUser(chat, `bench-throughput-${plan.runId}-warmup`), limits(scaled(bench, plan.warmupMs, 200)));
    warmups.set(target.name, warmup.responses.length + warmup.failures);
    await settle(bench, target);
    await bench.mock.call('forgetRequests');
  }

  interface Tally {
    loads: LoadResult[];
    cpu: CpuSpent;
    loadCpu: CpuSpent;
    drains: number[];
    peakRss: number;
    lookoutIds: Map<string, Set<string>>;
  }
  const tallies = new Map<TargetName, Tally>(
    bench.targets.map((t) => [
      t.name,
      { loads: [], cpu: noCpu(bench, t), loadCpu: noCpu(bench, t), drains: [], peakRss: 0, lookoutIds: new Map() },
    ]),
  );
  const msPerRound = scaled(bench, plan.msPerRound, 300);
  for (let round = 0; round < plan.rounds; round++) {
    const roundChat = withUser(chat, userOf(round));
    for (const target of roundOrder(bench.targets, round)) {
      const tally = tallies.get(target.name)!;
      const sampler = target.gatewayPid === null ? null : sampleRss(target.gatewayPid);
      const before = cpuSnapshot(bench);
      const load = await loadOf(target, roundChat, limits(msPerRound));
      const afterLoad = cpuSnapshot(bench);
      const peak = sampler?.stop();
      tally.drains.push(await settle(bench, target));
      const afterDrain = cpuSnapshot(bench);
      addCpu(tally.loadCpu, cpuSpent(bench, target, before, afterLoad));
      addCpu(tally.cpu, cpuSpent(bench, target, before, afterDrain));
      tally.loads.push(load);
      if (peak) tally.peakRss = Math.max(tally.peakRss, peak.peakRssBytes);
      if (target.name === 'lookout') {
        const ids = new Set(load.responses.map((r) => r.lookoutId).filter((id): id is string => id !== null));
        tally.lookoutIds.set(userOf(round), ids);
      }
      await bench.mock.call('forgetRequests');
      bench.progress(`  ${target.name}: ${(load.responses.length / (load.elapsedMs / 1000)).toFixed(0)} req/s`);
    }
  }

  await plan.around?.stop();

  const targets = {} as Record<TargetName, ThroughputTargetResult>;
  for (const target of bench.targets) {
    const tally = tallies.get(target.name)!;
    const load = mergeLoads(tally.loads);
    const drainMs = tally.drains.reduce((sum, d) => sum + d, 0);
    const requests = load.responses.length + load.failures;
    const percent = (ms: number | null) => (ms === null ? null : (ms / load.elapsedMs) * 100);
    const hwm = target.gatewayPid === null ? null : (residentMemory(target.gatewayPid)?.highWaterBytes ?? null);
    targets[target.name] = {
      connections: plan.connections,
      warmupRequests: warmups.get(target.name) ?? 0,
      requests,
      failures: load.failures,
      firstFailure: load.firstFailure,
      rps: load.responses.length / (load.elapsedMs / 1000),
      latency: summarizeLatency(load.responses.map((r) => r.totalMs)),
      loadMs: load.elapsedMs,
      drainMs,
      drainMsByRound: tally.drains,
      rpsWithDrain: load.responses.length / ((load.elapsedMs + drainMs) / 1000),
      cpuPerRequest: perRequest(tally.cpu, requests),
      utilisation: {
        client: percent(tally.loadCpu.client)!,
        mock: percent(tally.loadCpu.mock)!,
        gateway: percent(tally.loadCpu.gateway),
        jvm: percent(tally.loadCpu.jvm),
        others: percent(tally.loadCpu.others)!,
      },
      peakRssBytes: target.gatewayPid === null ? null : tally.peakRss,
      highWaterRssBytes: hwm,
      logs: target.name === 'lookout' ? await logCompleteness(bench, tally.lookoutIds, load.responses.length) : null,
    };
  }
  return { connections: plan.connections, rounds: plan.rounds, targets };
}

/** Lists every round's requests through the query API and matches them with the Lookout-Ids answered. */
async function logCompleteness(bench: GatewayBench, idsByUser: Map<string, Set<string>>, answers: number): Promise<LogCompleteness> {
  const result: LogCompleteness = { answered: 0, stored: 0, unexpected: 0, duplicates: 0, withoutId: 0 };
  for (const [userId, answered] of idsByUser) {
    const listed = await listLoggedRequestIds(bench.stack.ready, userId);
    const seen = new Set<string>();
    for (const id of listed) {
      if (seen.has(id)) result.duplicates++;
      seen.add(id);
      if (!answered.has(id)) result.unexpected++;
    }
    result.answered += answered.size;
    for (const id of answered) if (seen.has(id)) result.stored++;
  }
  result.withoutId = answers - result.answered;
  return result;
}

/** The text of the answer's message (buffered) or of its deltas (streamed), to compare sides. */
function answerText(body: string, stream: boolean): string {
  if (!stream) return (JSON.parse(body) as { choices?: { message?: { content?: string } }[] }).choices?.[0]?.message?.content ?? '';
  return body
    .split('\n\n')
    .filter((e) => e.startsWith('data: {'))
    .map(
      (e) => (JSON.parse(e.slice('data: '.length)) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? '',
    )
    .join('');
}

/**
 * Before measuring: every gateway forwards to the mock (the mock counts the request) and hands
 * back the mock's answer, buffered and streamed, with the same events as direct.
 */
export async function checkGatewaysForward(bench: GatewayBench): Promise<void> {
  for (const stream of [false, true]) {
    const chat = chatRequest(bench.stack.ready.appKey, stream, 'forwarding-check', {
      portkeyUpstream: bench.portkeyUpstream,
      includeUsage: true,
    });
    const answers = new Map<TargetName, { text: string; events: number }>();
    for (const target of bench.targets) {
      await bench.mock.call('forgetRequests');
      const response = await request(target.url, { method: 'POST', headers: chat.headers, body: chat.body, dispatcher: benchAgent });
      const body = await response.body.text();
      const { count } = await bench.mock.call<{ count: number }>('forgetRequests');
      if (response.statusCode !== 200) throw new Error(`${target.name} answered ${response.statusCode}: ${body.slice(0, 300)}`);
      if (count !== 1) throw new Error(`${target.name}: the mock got ${count} requests for one ${stream ? 'stream' : 'answer'}`);
      answers.set(target.name, { text: answerText(body, stream), events: body.split('\n\n').filter(Boolean).length });
      await settle(bench, target);
    }
    const direct = answers.get('direct')!;
    if (!direct.text) throw new Error(`direct ${stream ? 'stream' : 'answer'} has no text`);
    for (const [name, answer] of answers) {
      if (answer.text !== direct.text) throw new Error(`${name} answered "${answer.text}", direct "${direct.text}"`);
      if (stream && answer.events !== direct.events) throw new Error(`${name} streamed ${answer.events} events, direct ${direct.events}`);
    }
  }
}
