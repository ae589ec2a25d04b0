/**
 * The response cache (issue 9) beside direct calls to the mock, in one run: a HIT and a MISS on
 * the Redis backend through the local stack (what `npm start` runs with `LOOKOUT_REDIS_URL`), the
 * same HIT through the gateway with its log store stubbed (to tell the cache's cost from the log
 * write's), and a HIT on the DynamoDB Local table of the main stack, buffered and streamed. As in
 * the other comparisons, each round visits every target once, in an order that rotates from round
 * to round, and waits after each turn until that target is idle.
 *
 * Every answer is checked, warm-up and pre-fill included, and anything unexpected fails the bench:
 * a HIT must say `helicone-cache: HIT` and no request may reach the mock during its turn (each
 * HIT target's one entry is stored before it is measured); a MISS must say `MISS` and reach the
 * mock once, its body made new by a counter in the prompt. One exception, on the informational
 * DynamoDB Local target only: a read that outlasts `cacheTimeoutMs` is answered by the provider
 * as a MISS, as `npm start` does; such answers must say MISS and reach the mock once each, and are
 * counted and left out of its HIT figures rather than failing the bench.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { BenchChild } from './child-ipc.js';
import { runClosedLoop } from './closed-loop-load.js';
import { summarizeLatency, type LatencySummary } from './latency-statistics.js';
import type { MockReady } from './mock-process.js';
import { runRotatingRounds } from './rotating-rounds.js';
import { chatRequest, timedChatRequest, type ChatRequest } from './timed-request.js';

export const CACHE_TARGET_NAMES = ['direct', 'hit', 'miss', 'hitStubbedLog', 'hitDynamoDbLocal'] as const;
export type CacheTargetName = (typeof CACHE_TARGET_NAMES)[number];

export interface CacheTarget {
  name: CacheTargetName;
  url: string;
  /** A gateway key the target's gateway knows (direct ignores it). */
  appKey: string;
  /** What every answer must say in `helicone-cache`; null for direct, which has no cache. */
  expect: 'HIT' | 'MISS' | null;
  /** A HIT target whose cache read may outlast `cacheTimeoutMs` (DynamoDB Local), its answer then a MISS from the provider. */
  mayFallBack: boolean;
  /** Settles once the target has nothing left to do: its request logs and cache writes done. */
  idle(): Promise<unknown>;
}

export interface CacheBench {
  /** Direct first, then the cache's targets. */
  targets: CacheTarget[];
  mock: BenchChild<MockReady>;
  /** Part of every MISS prompt, so no MISS body was ever sent before. */
  runId: string;
  /** `BENCH_SCALE`: multiplies request counts and durations. */
  scale: number;
  progress(message: string): void;
}

export interface CachePlan {
  scenario: string;
  stream: boolean;
  rounds: number;
  requestsPerRound: number;
  maxMsPerRound: number;
  warmupRequests: number;
}

export interface CacheTargetResult {
  n: number;
  /** Answers whose cache read outlasted `cacheTimeoutMs`, so the provider answered: left out of the figures. */
  fellBack: number;
  /** Send to last byte. */
  total: LatencySummary;
  /** Send to first body byte. */
  ttfb: LatencySummary;
}

export interface CacheScenario {
  scenario: string;
  stream: boolean;
  rounds: number;
  targets: Record<CacheTargetName, CacheTargetResult>;
}

export interface ResponseCacheComparison {
  buffered: CacheScenario;
  streamed: CacheScenario;
  /** Answers checked over both scenarios, warm-ups and pre-fills included. */
  checked: {
    /** Said HIT, and the mock got no request during their turns. */
    hits: number;
    /** Said MISS, and the mock got one request for each (DynamoDB Local's fallbacks included). */
    misses: number;
  };
}

const CACHE_HEADERS = { 'helicone-cache-enabled': 'true' };

function scaled(bench: CacheBench, value: number, floor = 1): number {
  return Math.max(floor, Math.round(value * bench.scale));
}

/**
 * Runs the cache's comparison, buffered then streamed (the mock's stream, 5 ms between events, as
 * in the streamed comparison). Throws at the first answer that is not what its target promises.
 */
export async function compareResponseCache(
  bench: CacheBench,
  plans: { buffered: CachePlan; streamed: CachePlan },
): Promise<ResponseCacheComparison> {
  const checked = { hits: 0, misses: 0 };
  let missCounter = 0;

  /** The next request of `target`: a HIT target's one body every time, a new body for each MISS. */
  const requests = (target: CacheTarget, plan: CachePlan): (() => ChatRequest) => {
    const request = (prompt: string) => {
      const chat = chatRequest(target.appKey, plan.stream, plan.scenario.replace(/[^a-z0-9-]+/gi, '-'), { includeUsage: true, prompt });
      return { ...chat, headers: { ...chat.headers, ...CACHE_HEADERS } };
    };
    if (target.expect === 'MISS') return () => request(`Say hello. (miss ${bench.runId}-${++missCounter})`);
    const same = request(`Say hello. (${target.name})`);
    return () => same;
  };

  /**
   * One turn of `target`, then the checks of every answer it got and of what reached the mock.
   * Returns the answers that count (a HIT target's HITs) and how many fell back to the provider.
   */
  const turn = async (target: CacheTarget, expect: CacheTarget['expect'], next: () => ChatRequest, maxRequests: number, maxMs: number) => {
    const load = await runClosedLoop(() => timedChatRequest(target, next()), { concurrency: 1, maxRequests, maxMs });
    await target.idle();
    await delay(50);
    const { count: upstream } = await bench.mock.call<{ count: number }>('forgetRequests');
    const where = `response cache, ${target.name}`;
    if (load.failures > 0) throw new Error(`${where}: ${load.failures} requests failed (${load.firstFailure})`);
    const answers = expect === null ? load.responses : load.responses.filter((r) => r.cache === expect);
    const fellBack = expect === 'HIT' && target.mayFallBack ? load.responses.filter((r) => r.cache === 'MISS').length : 0;
    const wrong = load.responses.length - answers.length - fellBack;
    if (wrong > 0) {
      const first = load.responses.find((r) => r.cache !== expect)!;
      throw new Error(`${where}: ${wrong} of ${load.responses.length} answers said helicone-cache: ${first.cache}, not ${expect}`);
    }
    const expectedUpstream = expect === 'HIT' ? fellBack : answers.length;
    if (upstream !== expectedUpstream) {
      throw new Error(`${where}: the mock got ${upstream} requests for ${load.responses.length} answers (expected ${expectedUpstream})`);
    }
    if (expect === 'HIT') checked.hits += answers.length;
    checked.misses += expect === 'MISS' ? answers.length : fellBack;
    return { answers, fellBack };
  };

  const scenario = async (plan: CachePlan): Promise<CacheScenario> => {
    const next = new Map(bench.targets.map((t) => [t.name, requests(t, plan)]));
    await bench.mock.call('forgetRequests');
    // Each HIT target's entry: its body's first answer is a MISS that reaches the mock and is stored.
    for (const target of bench.targets.filter((t) => t.expect === 'HIT')) await turn(target, 'MISS', next.get(target.name)!, 1, 15_000);
    const requestsPerRound = scaled(bench, plan.requestsPerRound, 5);
    const maxMsPerRound = scaled(bench, plan.maxMsPerRound, 300);
    const turns = await runRotatingRounds(
      bench.targets,
      plan.rounds,
      (target) => turn(target, target.expect, next.get(target.name)!, scaled(bench, plan.warmupRequests, 5), 15_000),
      (target) => turn(target, target.expect, next.get(target.name)!, requestsPerRound, maxMsPerRound),
    );
    const targets = {} as Record<CacheTargetName, CacheTargetResult>;
    for (const target of bench.targets) {
      const responses = turns.get(target.name)!.flatMap((t) => t.answers);
      targets[target.name] = {
        n: responses.length,
        fellBack: turns.get(target.name)!.reduce((sum, t) => sum + t.fellBack, 0),
        total: summarizeLatency(responses.map((r) => r.totalMs)),
        ttfb: summarizeLatency(responses.map((r) => r.ttfbMs)),
      };
    }
    return { scenario: plan.scenario, stream: plan.stream, rounds: plan.rounds, targets };
  };

  bench.progress(`  buffered: ${bench.targets.length} targets × ${plans.buffered.rounds} rounds`);
  const buffered = await scenario(plans.buffered);
  bench.progress(`  streamed (5 ms between events): ${bench.targets.length} targets × ${plans.streamed.rounds} rounds`);
  const streamed = await scenario(plans.streamed);
  return { buffered, streamed, checked };
}
