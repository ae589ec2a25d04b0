/**
 * Quotas (issue 10): what the quota check adds to a request, on each counter store. The same
 * buffered chat request (with `max_tokens`, which bounds a usd reservation's output) goes through
 * the local stack three ways: with no quota, with a `RateLimit-Policy` in requests, and under a
 * usd quota from the runtime config; on the Redis counters (the response cache's stack, with
 * `LOOKOUT_REDIS_URL`) and on the DynamoDB Local counters (the main stack, `npm start`'s default),
 * with direct calls to the mock in the same rounds. Each target's added figure is judged against
 * the no-quota request of its own backend, in the same rotating rounds as the response cache's.
 *
 * Every answer is checked, warm-ups included, and anything unexpected fails the bench: each is a
 * whole 200 that reached the mock once (no quota refused, nothing answered from a cache); one with
 * no quota carries no `helicone-ratelimit-limit`, and one under a quota carries the quota's limit
 * and a remaining amount that shows this very request was counted: for the policy, exactly the
 * limit minus the requests its user has sent; for the usd quota, less than the answer before it.
 * Each target is a user of its own, so no target's count runs into another's.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { QuotaInput } from '../lambdas/contract/quota-definition.js';
import type { BenchChild } from './child-ipc.js';
import { runClosedLoop } from './closed-loop-load.js';
import { summarizeLatency, type LatencySummary } from './latency-statistics.js';
import type { MockReady } from './mock-process.js';
import { runRotatingRounds } from './rotating-rounds.js';
import { chatRequest, timedChatRequest, type ChatRequest, type TimedResponse } from './timed-request.js';

export const QUOTA_VARIANTS = ['none', 'policy', 'usd'] as const;
export type QuotaVariant = (typeof QUOTA_VARIANTS)[number];
export const QUOTA_BACKENDS = ['redis', 'dynamoDbLocal'] as const;
export type QuotaBackend = (typeof QUOTA_BACKENDS)[number];

/** The `scenario` property of each variant's requests; the usd quota matches only its own. */
const scenarioOf = (variant: QuotaVariant) => `quotas-${variant}`;

/** The policy variant's header: far more than a run sends, so it never refuses. */
export const BENCH_RATE_LIMIT_POLICY = '1000000;w=3600;s=user';
const POLICY_LIMIT = 1_000_000;

/**
 * The usd quota both stacks get in their runtime config (`stack-process.ts`). Its match narrows
 * it to the usd variant's requests, so every other request of the run, the no-quota variant and
 * the other phases included, meets no quota, as before quotas existed. $10,000 an hour per user:
 * a request here reserves well under a cent, so it never refuses.
 */
export const BENCH_USD_QUOTA = {
  name: 'bench-usd-per-user',
  unit: 'usd',
  limit: 10_000,
  windowSeconds: 3_600,
  scope: 'user',
  match: { properties: { scenario: scenarioOf('usd') } },
} satisfies QuotaInput;

/** `max_tokens` of every request: a usd quota reserves the prompt's bound plus this many output tokens at the output price. */
const MAX_TOKENS = 64;

export interface QuotaTarget {
  /** `direct`, or the backend and the variant (`redis-policy`). */
  name: string;
  /** null for direct. */
  backend: QuotaBackend | null;
  variant: QuotaVariant;
  url: string;
  appKey: string;
  /** Settles once the target has nothing left to do: its request logs stored, its reservations settled. */
  idle(): Promise<unknown>;
}

export interface QuotaBench {
  /** Direct first, then each backend's three variants. */
  targets: QuotaTarget[];
  mock: BenchChild<MockReady>;
  /** Part of every user id, so the run's counters are its own. */
  runId: string;
  /** `BENCH_SCALE`: multiplies request counts and durations. */
  scale: number;
  progress(message: string): void;
}

export interface QuotaPlan {
  scenario: string;
  rounds: number;
  requestsPerRound: number;
  maxMsPerRound: number;
  warmupRequests: number;
}

export interface QuotaTargetResult {
  n: number;
  /** The `Helicone-User-Id` the target's requests sent: the scope value of its counters. */
  userId: string;
  /** Send to last byte. */
  total: LatencySummary;
}

export interface QuotaComparison {
  scenario: string;
  rounds: number;
  /** A turn's bounds, scaled: it ends at whichever comes first. */
  requestsPerRound: number;
  maxMsPerRound: number;
  maxTokens: number;
  policy: string;
  usdQuota: QuotaInput;
  direct: QuotaTargetResult;
  backends: Record<QuotaBackend, Record<QuotaVariant, QuotaTargetResult>>;
  /** Answers checked, warm-ups included. */
  checked: {
    /** Whole 200s, each of which reached the mock once. */
    answers: number;
    /** Of those, under a quota: each carried its limit and a remaining amount that counted it. */
    counted: number;
  };
}

function scaled(bench: QuotaBench, value: number, floor = 1): number {
  return Math.max(floor, Math.round(value * bench.scale));
}

/**
 * Runs the comparison in rotating rounds. Throws at the first answer that is not what its target
 * promises.
 */
export async function compareQuotas(bench: QuotaBench, plan: QuotaPlan): Promise<QuotaComparison> {
  const checked = { answers: 0, counted: 0 };
  const userId = (target: QuotaTarget) => `bench-quotas-${bench.runId}-${target.name}`;
  /** Per target: its requests so far (the policy's count) and the usd quota's last remaining amount. */
  const counts = new Map(bench.targets.map((t) => [t.name, { sent: 0, lastRemaining: Number.POSITIVE_INFINITY }]));

  /** The same bytes for every variant but the policy header, the user id and the `scenario` property's value. */
  const request = (target: QuotaTarget): ChatRequest => {
    const chat = chatRequest(target.appKey, false, scenarioOf(target.variant), { maxTokens: MAX_TOKENS });
    // Helicone's names, as a Helicone client sends them (the gateway reads both prefixes alike).
    const { 'lookout-user-id': _, ...headers } = chat.headers;
    return {
      body: chat.body,
      headers: {
        ...headers,
        'helicone-user-id': userId(target),
        ...(target.variant === 'policy' ? { 'helicone-ratelimit-policy': BENCH_RATE_LIMIT_POLICY } : {}),
      },
    };
  };

  /** Throws unless `answer`, the next answer of `target`, says what its quota promises. */
  const check = (target: QuotaTarget, answer: TimedResponse) => {
    const where = `quotas, ${target.name}`;
    const count = counts.get(target.name)!;
    count.sent++;
    const { limit, remaining } = answer.rateLimit;
    if (target.variant === 'none' || target.backend === null) {
      if (limit !== null) throw new Error(`${where}: no quota applies, yet the answer said helicone-ratelimit-limit: ${limit}`);
      return;
    }
    const expectedLimit = String(target.variant === 'policy' ? POLICY_LIMIT : BENCH_USD_QUOTA.limit * 100);
    if (limit !== expectedLimit) {
      throw new Error(`${where}: answer ${count.sent} said helicone-ratelimit-limit: ${limit}, not ${expectedLimit}`);
    }
    const left = Number(remaining);
    if (target.variant === 'policy') {
      // One request reserved and one settled: what is left after the k-th request is the limit minus k.
      if (left !== POLICY_LIMIT - count.sent) {
        throw new Error(`${where}: answer ${count.sent} said helicone-ratelimit-remaining: ${remaining}, not ${POLICY_LIMIT - count.sent}`);
      }
    } else if (!(left < count.lastRemaining)) {
      // Each request reserves its worst case and settles at its cost (above 0: the mock reports usage).
      throw new Error(
        `${where}: answer ${count.sent} said helicone-ratelimit-remaining: ${remaining}, not below the last (${count.lastRemaining})`,
      );
    }
    count.lastRemaining = left;
    checked.counted++;
  };

  const turn = async (target: QuotaTarget, maxRequests: number, maxMs: number): Promise<TimedResponse[]> => {
    const chat = request(target);
    const load = await runClosedLoop(() => timedChatRequest(target, chat), { concurrency: 1, maxRequests, maxMs });
    await target.idle();
    await delay(50);
    const { count: upstream } = await bench.mock.call<{ count: number }>('forgetRequests');
    const where = `quotas, ${target.name}`;
    if (load.failures > 0) throw new Error(`${where}: ${load.failures} requests were not a whole 200 (${load.firstFailure})`);
    if (upstream !== load.responses.length) {
      throw new Error(`${where}: the mock got ${upstream} requests for ${load.responses.length} answers (expected one each)`);
    }
    for (const answer of load.responses) check(target, answer);
    checked.answers += load.responses.length;
    return load.responses;
  };

  await bench.mock.call('forgetRequests');
  const requestsPerRound = scaled(bench, plan.requestsPerRound, 5);
  const maxMsPerRound = scaled(bench, plan.maxMsPerRound, 300);
  bench.progress(`  buffered: ${bench.targets.length} targets × ${plan.rounds} rounds`);
  const turns = await runRotatingRounds(
    bench.targets,
    plan.rounds,
    (target) => turn(target, scaled(bench, plan.warmupRequests, 5), 15_000),
    (target) => turn(target, requestsPerRound, maxMsPerRound),
  );
  const result = (target: QuotaTarget): QuotaTargetResult => {
    const responses = turns.get(target.name)!.flat();
    return { n: responses.length, userId: userId(target), total: summarizeLatency(responses.map((r) => r.totalMs)) };
  };
  const direct = bench.targets.find((t) => t.backend === null);
  if (!direct) throw new Error('quotas: no direct target');
  const backends = {} as QuotaComparison['backends'];
  for (const backend of QUOTA_BACKENDS) {
    backends[backend] = {} as Record<QuotaVariant, QuotaTargetResult>;
    for (const variant of QUOTA_VARIANTS) {
      const target = bench.targets.find((t) => t.backend === backend && t.variant === variant);
      if (!target) throw new Error(`quotas: no target for ${variant} on ${backend}`);
      backends[backend][variant] = result(target);
    }
  }
  return {
    scenario: plan.scenario,
    rounds: plan.rounds,
    requestsPerRound,
    maxMsPerRound,
    maxTokens: MAX_TOKENS,
    policy: BENCH_RATE_LIMIT_POLICY,
    usdQuota: BENCH_USD_QUOTA,
    direct: result(direct),
    backends,
    checked,
  };
}
