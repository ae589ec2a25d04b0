/**
 * Turns a results file into tables: aligned text for stdout, and BENCHMARKS.md, from the same
 * rows. With a second (earlier) results file it adds the before-and-after table.
 */
import { readFileSync } from 'node:fs';
import type { BenchRun, GatewayLogSummary, QuotasRun, ResponseCacheRun } from './bench-results.js';
import type { ProfileSummary } from './cpu-profile-summary.js';
import {
  GATEWAY_NAMES,
  type CpuPerRequest,
  type GatewayName,
  type SequentialComparison,
  type TargetName,
  type ThroughputTargetResult,
} from './gateway-comparison.js';
import type { LatencySummary } from './latency-statistics.js';
import { QUOTA_BACKENDS, QUOTA_VARIANTS, type QuotaBackend, type QuotaVariant } from './quota-comparison.js';
import type { CacheScenario, CacheTargetName, CacheTargetResult } from './response-cache-comparison.js';
import { ROLLUP_METRICS, type MetricQueryRun, type PartCpu, type RollupsComparison } from './rollups-comparison.js';

/** The hand-written reading of the missed targets (`bench/target-analysis.md`), kept beside the figures it explains. */
const TARGET_ANALYSIS = readFileSync(new URL('./target-analysis.md', import.meta.url), 'utf8');

export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
}

const ms = (value: number | null | undefined) =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : Math.abs(value) < 10 ? value.toFixed(2) : value.toFixed(1);
const signedMs = (value: number) => (Number.isNaN(value) ? '–' : `${value >= 0 ? '+' : ''}${ms(value)}`);
const cpuMs = (value: number | null | undefined) => (value === null || value === undefined ? '–' : value.toFixed(3));
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const mb = (bytes: number | null) => (bytes === null ? '–' : `${(bytes / 1e6).toFixed(0)} MB`);
const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;
const signedMib = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;
const signedBytes = (bytes: number) => `${bytes >= 0 ? '+' : ''}${Math.round(bytes)} B`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const percent = (value: number | null) => (value === null ? '–' : `${value.toFixed(0)}%`);
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? Number.NaN;
const percentiles = (s: LatencySummary) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`;

export const GATEWAY_LABELS: Record<GatewayName, string> = {
  floor: 'floor (Node passthrough)',
  portkey: 'Portkey',
  lookout: 'Lookout',
  lookoutStubbedLog: 'Lookout, log store stubbed',
};
const label = (name: TargetName) => (name === 'direct' ? 'direct' : GATEWAY_LABELS[name]);

/** The issue's targets (issue 8), for Lookout with logging on. */
export const TARGETS = {
  addedMedianMs: 0.5,
  addedP99Ms: 2,
  streamTtfbAddedMedianMs: 1,
  chunkDelayMs: 1,
  gatewayCpuMsPerRequest: 0.25,
  gatewayBundleBytes: 400_000,
  importMedianMs: 100,
  peakRssBytes: 150e6,
};

/** Issue 9's targets for the response cache on Redis through the local stack. */
export const CACHE_TARGETS = { hitAddedMedianMs: 1 };

const CACHE_LABELS: Record<CacheTargetName, string> = {
  hit: 'HIT (Redis)',
  miss: 'MISS (Redis)',
  direct: 'direct',
  hitStubbedLog: 'HIT, log store stubbed (Redis)',
  hitDynamoDbLocal: 'HIT on DynamoDB Local (informational)',
};

/**
 * The latency a cached answer is judged by: send → last byte for a buffered answer, TTFB for a
 * stream (a HIT replays the stored events at once, where the provider paused between them).
 */
const cacheLatency = (scenario: CacheScenario, name: CacheTargetName) =>
  scenario.stream ? scenario.targets[name].ttfb : scenario.targets[name].total;
const cacheAdded = (scenario: CacheScenario, name: CacheTargetName, p: 'p50' | 'p99') =>
  cacheLatency(scenario, name)[p] - cacheLatency(scenario, 'direct')[p];
const hitMinusMiss = (scenario: CacheScenario, p: 'p50' | 'p99') => cacheLatency(scenario, 'hit')[p] - cacheLatency(scenario, 'miss')[p];

/** Issue 10's target: on the Redis counters, the quota check adds at most this at p50 over the same request with no quota. */
export const QUOTA_TARGETS = { addedMedianMs: 0.5 };

const QUOTA_BACKEND_LABELS: Record<QuotaBackend, string> = {
  redis: 'Redis',
  dynamoDbLocal: 'DynamoDB Local (informational)',
};
const quotaVariantLabel = (quotas: QuotasRun, variant: QuotaVariant) =>
  ({
    none: 'no quota',
    policy: `\`RateLimit-Policy: ${quotas.policy}\` (requests)`,
    usd: `usd quota from the config (${quotas.usdQuota.limit} USD per ${quotas.usdQuota.windowSeconds} s, scope ${quotas.usdQuota.scope})`,
  })[variant];
/** A quota variant minus the no-quota request on the same counters, at percentile `p` of the same rounds. */
const quotaAdded = (quotas: QuotasRun, backend: QuotaBackend, variant: QuotaVariant, p: 'p50' | 'p99') =>
  quotas.backends[backend][variant].total[p] - quotas.backends[backend].none.total[p];

/** Gateway minus direct at percentile `p` of the same run. */
function added(comparison: SequentialComparison, name: TargetName, pick: 'total' | 'ttfb', p: 'p50' | 'p99'): number {
  return comparison.targets[name][pick][p] - comparison.targets.direct[pick][p];
}

/** Which resource held a gateway's throughput, read from each process's CPU while the load ran. */
export function limitingResource(run: BenchRun, name: TargetName): string {
  const t = run.throughput.targets[name];
  const cores = Number(run.machine.nproc) || 2;
  const processes: [string, number | null][] = [
    ['client', t.utilisation.client],
    ['mock', t.utilisation.mock],
    [name === 'direct' ? '' : `${label(name)} process`, t.utilisation.gateway],
    ['DynamoDB Local JVM', name === 'lookout' ? t.utilisation.jvm : null],
  ];
  const busy = processes.filter((p): p is [string, number] => p[1] !== null && p[0] !== '');
  const others = t.utilisation.others + (name === 'lookout' ? 0 : (t.utilisation.jvm ?? 0));
  const total = busy.reduce((sum, [, u]) => sum + u, 0) + others;
  const [topName, topUse] = busy.sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  const saturated = total >= 0.9 * cores * 100;
  const parts: string[] = [];
  // A Node process runs JavaScript on one thread; near 100% of a core, that thread is the limit.
  if (topUse >= 85) parts.push(`${topName} CPU (${topUse.toFixed(0)}% of a core: its main thread)`);
  if (saturated) parts.push(`all ${cores} cores busy (${total.toFixed(0)}% in all, ${others.toFixed(0)}% of it other processes)`);
  if (name === 'lookout' && t.drainMs > 0.2 * t.loadMs) parts.push(`log writes to DynamoDB Local (${ms(t.drainMs / 1000)} s of backlog)`);
  return parts.length
    ? parts.join('; ')
    : `no process saturated (${total.toFixed(0)}% CPU in all, ${others.toFixed(0)}% of it other processes): waiting on the round trips`;
}

/** The figures issue 8 quotes, from a run on another machine of this kind, to tell how fast this one was. */
const ISSUE_FIGURES: Partial<Record<GatewayName, { addedP50: number; addedP99: number; rps: number; cpu: string }>> = {
  floor: { addedP50: 0.28, addedP99: 1.25, rps: 13_196, cpu: '–' },
  portkey: { addedP50: 1.15, addedP99: 4.65, rps: 1_264, cpu: 'about 1' },
  lookout: { addedP50: 1.7, addedP99: 11.1, rps: 826, cpu: 'about 1.4 (JVM 1.9-2.0)' },
  lookoutStubbedLog: { addedP50: 0.4, addedP99: Number.NaN, rps: Number.NaN, cpu: '0.48' },
};

export function issueFiguresTable(run: BenchRun): Table {
  const seq = run.sequentialBuffered;
  const tput = run.throughput.targets;
  return {
    title: 'This run beside the figures issue 8 quotes (another run, another machine of this kind)',
    headers: [
      '',
      'added median / p99 ms: this run',
      'issue 8',
      'req/s at 32 conn.: this run',
      'issue 8',
      'gateway CPU ms/request: this run',
      'issue 8',
    ],
    rows: GATEWAY_NAMES.map((name) => {
      const issue = ISSUE_FIGURES[name];
      return [
        GATEWAY_LABELS[name],
        `${signedMs(added(seq, name, 'total', 'p50'))} / ${signedMs(added(seq, name, 'total', 'p99'))}`,
        issue ? `+${ms(issue.addedP50)} / ${Number.isNaN(issue.addedP99) ? '–' : `+${ms(issue.addedP99)}`}` : '–',
        tput[name].rps.toFixed(0),
        issue && !Number.isNaN(issue.rps) ? issue.rps.toLocaleString('en-US') : '–',
        cpuMs(tput[name].cpuPerRequest.gateway),
        issue?.cpu ?? '–',
      ];
    }),
  };
}

interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
  note: string;
}

export function targetChecks(run: BenchRun): TargetCheck[] {
  const seq = run.sequentialBuffered;
  const stream = run.streamed;
  const tput = run.throughput.targets;
  const lookoutChunks = stream.targets.lookout.chunks;
  const directChunks = stream.targets.direct.chunks;
  const gatewayBundle = run.coldStart.bundles.find((b) => b.entry.endsWith('/gateway.ts'));
  const importMedian = median(run.coldStart.gatewayImportMs);
  const logs = tput.lookout.logs;
  const allStored =
    logs !== null && logs.stored === logs.answered && logs.unexpected === 0 && logs.duplicates === 0 && logs.withoutId === 0;
  const checks: TargetCheck[] = [
    {
      target: `added median ≤ ${TARGETS.addedMedianMs} ms (buffered, sequential, logging on)`,
      measured: `${signedMs(added(seq, 'lookout', 'total', 'p50'))} ms`,
      met: added(seq, 'lookout', 'total', 'p50') <= TARGETS.addedMedianMs,
      note: `same run: Portkey ${signedMs(added(seq, 'portkey', 'total', 'p50'))}, floor ${signedMs(added(seq, 'floor', 'total', 'p50'))}, log store stubbed ${signedMs(added(seq, 'lookoutStubbedLog', 'total', 'p50'))}`,
    },
    {
      target: `added p99 ≤ ${TARGETS.addedP99Ms} ms`,
      measured: `${signedMs(added(seq, 'lookout', 'total', 'p99'))} ms`,
      met: added(seq, 'lookout', 'total', 'p99') <= TARGETS.addedP99Ms,
      note: `same run: Portkey ${signedMs(added(seq, 'portkey', 'total', 'p99'))}, floor ${signedMs(added(seq, 'floor', 'total', 'p99'))}, log store stubbed ${signedMs(added(seq, 'lookoutStubbedLog', 'total', 'p99'))}`,
    },
    {
      target: `stream: added TTFB ≤ ${TARGETS.streamTtfbAddedMedianMs} ms at the median`,
      measured: `${signedMs(added(stream, 'lookout', 'ttfb', 'p50'))} ms (p99 ${signedMs(added(stream, 'lookout', 'ttfb', 'p99'))})`,
      met: added(stream, 'lookout', 'ttfb', 'p50') <= TARGETS.streamTtfbAddedMedianMs,
      note: `same run: floor ${signedMs(added(stream, 'floor', 'ttfb', 'p50'))}, log store stubbed ${signedMs(added(stream, 'lookoutStubbedLog', 'ttfb', 'p50'))}`,
    },
    {
      target: `stream: every chunk within ${TARGETS.chunkDelayMs} ms of its arrival direct`,
      measured: lookoutChunks
        ? `p50 ${signedMs(lookoutChunks.delayVsDirect.p50)} / p99 ${signedMs(lookoutChunks.delayVsDirect.p99)} ms`
        : '–',
      met: lookoutChunks ? lookoutChunks.delayVsDirect.p99 <= TARGETS.chunkDelayMs : null,
      note: directChunks
        ? `judged at p99; direct's own spread around its medians is p99 ${signedMs(directChunks.delayVsDirect.p99)} ms`
        : '',
    },
    {
      target: `gateway-process CPU ≤ ${TARGETS.gatewayCpuMsPerRequest} ms/request, JVM excluded (32 connections)`,
      measured: `${cpuMs(tput.lookout.cpuPerRequest.gateway)} ms`,
      met: (tput.lookout.cpuPerRequest.gateway ?? Number.POSITIVE_INFINITY) <= TARGETS.gatewayCpuMsPerRequest,
      note: `sequential: ${cpuMs(seq.targets.lookout.cpuPerRequest.gateway)} ms; JVM apart: ${cpuMs(tput.lookout.cpuPerRequest.jvm)} ms; ${ratio(tput.lookout.cpuPerRequest.gateway ?? Number.NaN, tput.portkey.cpuPerRequest.gateway ?? Number.NaN)} Portkey's ${cpuMs(tput.portkey.cpuPerRequest.gateway)} ms in this run (the target is a quarter of Portkey's about 1 ms in issue 8's run); log store stubbed ${cpuMs(tput.lookoutStubbedLog.cpuPerRequest.gateway)} ms`,
    },
    {
      target: "req/s at 32 connections above Portkey's, every log stored",
      measured: `${tput.lookout.rpsWithDrain.toFixed(0)} req/s with the log backlog drained (${ratio(tput.lookout.rpsWithDrain, tput.portkey.rps)} Portkey's ${tput.portkey.rps.toFixed(0)}); ${tput.lookout.rps.toFixed(0)} while answering`,
      met: tput.lookout.rpsWithDrain > tput.portkey.rps && allStored,
      note: logs ? `${logs.stored} of ${logs.answered} logs stored, ${logs.duplicates} duplicates, ${logs.unexpected} unexpected` : '',
    },
    {
      target: `gateway bundle ≤ ${kb(TARGETS.gatewayBundleBytes)} minified`,
      measured: gatewayBundle ? kb(gatewayBundle.bytes) : '–',
      met: gatewayBundle ? gatewayBundle.bytes <= TARGETS.gatewayBundleBytes : null,
      note: 'KB = 1,000 bytes; index.mjs without its source map',
    },
    {
      target: `import ≤ ${TARGETS.importMedianMs} ms at the median (20 fresh processes)`,
      measured: Number.isNaN(importMedian) ? '–' : `${ms(importMedian)} ms`,
      met: Number.isNaN(importMedian) ? null : importMedian <= TARGETS.importMedianMs,
      note: `with --enable-source-maps, as deployed; without: ${ms(median(run.coldStart.gatewayImportMsWithoutSourceMaps))} ms. Node itself starts in about 40 ms here`,
    },
    {
      target: `peak RSS ≤ ${mb(TARGETS.peakRssBytes)} under the 32-connection run (JVM apart)`,
      measured: mb(tput.lookout.peakRssBytes),
      met: tput.lookout.peakRssBytes === null ? null : tput.lookout.peakRssBytes <= TARGETS.peakRssBytes,
      note: `the stack process: gateway, query API and S3 server, under tsx; the stubbed-log gateway, bundled as deployed: ${mb(tput.lookoutStubbedLog.peakRssBytes)}; the gateway bundle right after import: ${mb(median(run.coldStart.gatewayImportRssBytes ?? []))}`,
    },
    ...cacheTargetChecks(run.responseCache),
    quotaTargetCheck(run.quotas),
  ];
  return checks;
}

/** Issue 10's target, judged on both quota variants on the Redis counters; DynamoDB Local's figure beside it. */
function quotaTargetCheck(quotas: QuotasRun | undefined): TargetCheck {
  const target = `quotas: added p50 ≤ ${QUOTA_TARGETS.addedMedianMs} ms over the same request with no quota (Redis counters, local stack)`;
  if (!quotas) return { target, measured: '–', met: null, note: 'this run predates the quotas bench' };
  const pair = (backend: QuotaBackend, p: 'p50' | 'p99') =>
    `RateLimit-Policy ${signedMs(quotaAdded(quotas, backend, 'policy', p))}, usd quota ${signedMs(quotaAdded(quotas, backend, 'usd', p))}`;
  const met = (variant: QuotaVariant) => quotaAdded(quotas, 'redis', variant, 'p50') <= QUOTA_TARGETS.addedMedianMs;
  const [policy, usd] = [met('policy'), met('usd')];
  const which =
    policy === usd ? '' : `${policy ? 'RateLimit-Policy' : 'usd quota'} met, ${policy ? 'usd quota' : 'RateLimit-Policy'} missed; `;
  return {
    target,
    measured: `${pair('redis', 'p50')} ms`,
    met: policy && usd,
    note: `${which}same rounds, p99: ${pair('redis', 'p99')} ms; DynamoDB Local counters (informational), p50: ${pair('dynamoDbLocal', 'p50')} ms`,
  };
}

/** Issue 9's two targets, each judged on the buffered and the streamed answer; not measured before the cache bench existed. */
function cacheTargetChecks(cache: ResponseCacheRun | undefined): TargetCheck[] {
  const hitAdded = `response cache: HIT p50 ≤ ${CACHE_TARGETS.hitAddedMedianMs} ms above direct (Redis, local stack, logging on)`;
  const hitBelowMiss = 'response cache: HIT p50 below MISS p50 (Redis, local stack)';
  if (!cache) {
    const absent = { measured: '–', met: null, note: 'this run predates the response cache bench' };
    return [
      { target: hitAdded, ...absent },
      { target: hitBelowMiss, ...absent },
    ];
  }
  const { buffered, streamed } = cache;
  /** Met when both answers meet it; says which one missed otherwise. */
  const verdict = (met: (s: CacheScenario) => boolean) => {
    const [b, s] = [met(buffered), met(streamed)];
    return { met: b && s, which: b === s ? '' : `${b ? 'buffered' : 'streamed'} met, ${b ? 'streamed' : 'buffered'} missed; ` };
  };
  const added = verdict((s) => cacheAdded(s, 'hit', 'p50') <= CACHE_TARGETS.hitAddedMedianMs);
  const below = verdict((s) => hitMinusMiss(s, 'p50') < 0);
  return [
    {
      target: hitAdded,
      measured: `buffered ${signedMs(cacheAdded(buffered, 'hit', 'p50'))} ms; streamed TTFB ${signedMs(cacheAdded(streamed, 'hit', 'p50'))} ms`,
      met: added.met,
      note: `${added.which}same rounds: log store stubbed ${signedMs(cacheAdded(buffered, 'hitStubbedLog', 'p50'))} / ${signedMs(cacheAdded(streamed, 'hitStubbedLog', 'p50'))}; MISS ${signedMs(cacheAdded(buffered, 'miss', 'p50'))} / ${signedMs(cacheAdded(streamed, 'miss', 'p50'))} (buffered / streamed TTFB)`,
    },
    {
      target: hitBelowMiss,
      measured: `buffered ${ms(cacheLatency(buffered, 'hit').p50)} vs ${ms(cacheLatency(buffered, 'miss').p50)} ms; streamed TTFB ${ms(cacheLatency(streamed, 'hit').p50)} vs ${ms(cacheLatency(streamed, 'miss').p50)} ms`,
      met: below.met,
      note: `${below.which}HIT − MISS at p50: buffered ${signedMs(hitMinusMiss(buffered, 'p50'))} ms, streamed TTFB ${signedMs(hitMinusMiss(streamed, 'p50'))} ms`,
    },
  ];
}

export function targetsTable(run: BenchRun): Table {
  return {
    title: 'Targets (issues 8, 9 and 10), Lookout with logging on',
    headers: ['target', 'measured', 'met?', 'note'],
    rows: targetChecks(run).map((c) => [c.target, c.measured, c.met === null ? 'not measured' : c.met ? 'met' : '**missed**', c.note]),
  };
}

export function sideBySideTable(run: BenchRun): Table {
  const seq = run.sequentialBuffered;
  const stream = run.streamed;
  const tput = run.throughput.targets;
  const row = (metric: string, cell: (name: GatewayName) => string) => [metric, ...GATEWAY_NAMES.map(cell)];
  return {
    title: 'Lookout, Portkey and the floor side by side (one run, each against direct calls to the same mock)',
    headers: ['', ...GATEWAY_NAMES.map((n) => GATEWAY_LABELS[n])],
    rows: [
      row(
        'added median / p99, buffered, sequential (ms)',
        (n) => `${signedMs(added(seq, n, 'total', 'p50'))} / ${signedMs(added(seq, n, 'total', 'p99'))}`,
      ),
      row('req/s at 32 connections (÷ Portkey)', (n) => `${tput[n].rps.toFixed(0)} (${ratio(tput[n].rps, tput.portkey.rps)})`),
      row('req/s with the log backlog drained', (n) => (n === 'lookout' ? tput[n].rpsWithDrain.toFixed(0) : '= above')),
      row(
        'gateway-process CPU ms/request, 32 conn. / sequential',
        (n) => `${cpuMs(tput[n].cpuPerRequest.gateway)} / ${cpuMs(seq.targets[n].cpuPerRequest.gateway)}`,
      ),
      row('DynamoDB Local JVM CPU ms/request, 32 conn.', (n) => (n === 'lookout' ? cpuMs(tput[n].cpuPerRequest.jvm) : '–')),
      row(
        'stream: added TTFB median / p99 (ms)',
        (n) => `${signedMs(added(stream, n, 'ttfb', 'p50'))} / ${signedMs(added(stream, n, 'ttfb', 'p99'))}`,
      ),
      row('stream: per-chunk delay vs direct, median / p99 (ms)', (n) => {
        const c = stream.targets[n].chunks;
        return c ? `${signedMs(c.delayVsDirect.p50)} / ${signedMs(c.delayVsDirect.p99)}` : '–';
      }),
      row('peak RSS of the gateway process, 32 conn.', (n) => mb(tput[n].peakRssBytes)),
      row('what limits it at 32 connections', (n) => limitingResource(run, n)),
    ],
  };
}

/** HIT, MISS and direct (and the two other HITs) from the same rounds, buffered and streamed. */
export function responseCacheTable(cache: ResponseCacheRun): Table {
  const { buffered, streamed } = cache;
  const pair = (s: LatencySummary) => `${ms(s.p50)} / ${ms(s.p99)}`;
  const addedPair = (scenario: CacheScenario, name: CacheTargetName) =>
    name === 'direct' ? '' : `${signedMs(cacheAdded(scenario, name, 'p50'))} / ${signedMs(cacheAdded(scenario, name, 'p99'))}`;
  const order: CacheTargetName[] = ['hit', 'miss', 'direct', 'hitStubbedLog', 'hitDynamoDbLocal'];
  const diff = (pick: (name: CacheTargetName) => LatencySummary) =>
    `${signedMs(pick('hit').p50 - pick('miss').p50)} / ${signedMs(pick('hit').p99 - pick('miss').p99)}`;
  return {
    title: 'Response cache on Redis through the local stack: HIT, MISS and direct in the same rounds',
    headers: [
      'target',
      'buffered p50 / p99 ms',
      'added over direct p50 / p99',
      'streamed TTFB p50 / p99 ms',
      'added over direct p50 / p99',
      'streamed send → last byte p50 / p99 ms',
      'n buffered / streamed',
    ],
    rows: [
      ...order.map((name) => [
        CACHE_LABELS[name],
        pair(buffered.targets[name].total),
        addedPair(buffered, name),
        pair(streamed.targets[name].ttfb),
        addedPair(streamed, name),
        pair(streamed.targets[name].total),
        fellBackNote(buffered.targets[name], streamed.targets[name]),
      ]),
      [
        'HIT − MISS (Redis)',
        diff((name) => buffered.targets[name].total),
        '',
        diff((name) => streamed.targets[name].ttfb),
        '',
        diff((name) => streamed.targets[name].total),
        '',
      ],
    ],
  };
}

/** The HITs measured, and the answers left out because the cache read outlasted `cacheTimeoutMs`. */
function fellBackNote(buffered: CacheTargetResult, streamed: CacheTargetResult): string {
  const fellBack = buffered.fellBack + streamed.fellBack;
  const note = fellBack
    ? ` (and ${buffered.fellBack} / ${streamed.fellBack} past \`cacheTimeoutMs\`, answered by the provider, left out)`
    : '';
  return `${buffered.n} / ${streamed.n}${note}`;
}

function responseCacheSection(run: BenchRun): string {
  const cache = run.responseCache;
  if (!cache) return '## Response cache\n\nNot measured in this run: it predates the response cache bench.\n';
  const { buffered, streamed, checked } = cache;
  return `## Response cache

On ${cache.redisServer} through a local stack of its own, started for these figures${run.quotas ? " and the quotas' (next section)" : ''} only: the code \`npm start\` runs with \`LOOKOUT_REDIS_URL\` (the same Lambdas and local front, every request logged to its own DynamoDB Local). Five targets share rotating rounds (${buffered.rounds} buffered, ${streamed.rounds} streamed), each after a warm-up: a **HIT** (its one entry stored before the rounds, the same body sent again and again), a **MISS** (a new prompt each time, so each is forwarded and then stored), **direct** calls to the mock, the same HIT through the gateway with its **log store stubbed** on the same Redis (what the cache costs without the log write), and a HIT on the main stack's **DynamoDB Local** cache table, \`npm start\`'s default backend. DynamoDB Local is not DynamoDB (a JVM on the same two cores, storing to SQLite): its row says what the local default does here, nothing about AWS. A read of it that outlasts \`cacheTimeoutMs\` (50 ms) goes to the provider as a MISS, as it would under \`npm start\`; such answers are counted in its n column and left out of its figures.

Every answer was checked, warm-ups and pre-fills included, and the bench fails otherwise: ${checked.hits} HITs said \`helicone-cache: HIT\` while the mock got no request in their turns, ${checked.misses} MISSes said \`MISS\` and reached the mock once each. The stream is the mock's (5 ms after each event) as in the streamed comparison; a HIT replays the stored events at once, so its send → last byte is not comparable with the provider's and the streamed targets are judged by TTFB. **added** is the target minus direct at the same percentile; the last row is HIT minus MISS.

${markdownTable(responseCacheTable(cache))}
`;
}

/** Each quota variant on each counter store, and direct, from the same rounds. */
export function quotasTable(quotas: QuotasRun): Table {
  const pair = (s: LatencySummary) => `${ms(s.p50)} / ${ms(s.p99)}`;
  const direct = quotas.direct.total;
  const overDirect = (s: LatencySummary) => `${signedMs(s.p50 - direct.p50)} / ${signedMs(s.p99 - direct.p99)}`;
  return {
    title:
      'Quotas through the local stack: the same buffered request with no quota, a RateLimit-Policy and a usd quota, in the same rounds',
    headers: ['counters', 'request', 'p50 / p99 ms', 'added over no quota p50 / p99', 'added over direct p50 / p99', 'n'],
    rows: [
      ...QUOTA_BACKENDS.flatMap((backend) =>
        QUOTA_VARIANTS.map((variant) => {
          const result = quotas.backends[backend][variant];
          return [
            QUOTA_BACKEND_LABELS[backend],
            quotaVariantLabel(quotas, variant),
            pair(result.total),
            variant === 'none'
              ? ''
              : `${signedMs(quotaAdded(quotas, backend, variant, 'p50'))} / ${signedMs(quotaAdded(quotas, backend, variant, 'p99'))}`,
            overDirect(result.total),
            String(result.n),
          ];
        }),
      ),
      ['–', 'direct', pair(direct), '', '', String(quotas.direct.n)],
    ],
  };
}

function quotasSection(run: BenchRun): string {
  const quotas = run.quotas;
  if (!quotas) return '## Quotas\n\nNot measured in this run: it predates the quotas bench.\n';
  return `## Quotas

What a quota check adds (issue 10): the same buffered chat request (\`max_tokens\` ${quotas.maxTokens}, which bounds what a usd quota reserves for the output) with **no quota**, with **\`Helicone-RateLimit-Policy: ${quotas.policy}\`**, and under a **usd quota** from the runtime config (\`${JSON.stringify(quotas.usdQuota).replaceAll('"', "'")}\`: its match narrows it to this variant's requests, so no other request of the run meets a quota). Each is reserved before the upstream call and settled after the answer. On the **Redis** counters (the response cache's stack on ${quotas.redisServer}, after the cache's figures) and on the main stack's **DynamoDB Local** counters, \`npm start\`'s default; DynamoDB Local is not DynamoDB (a JVM on the same two cores, storing to SQLite, where a reservation is a read and a conditional write and a settle another write), so its rows say what the local default does here, nothing about AWS. Seven targets, direct included, share ${quotas.rounds} rotating rounds, each after a warm-up; a turn ends at ${quotas.requestsPerRound} requests or after ${(quotas.maxMsPerRound / 1000).toFixed(1)} s, whichever comes first (DynamoDB Local's quota turns end by time, hence their smaller n). Every request is logged, and each target is a user of its own (\`Helicone-User-Id\`), so no counter fills.

Every answer was checked, warm-ups included, and the bench fails otherwise: all ${quotas.checked.answers} were whole 200s that reached the mock once each; the no-quota ones and direct carried no \`helicone-ratelimit-limit\`, and the ${quotas.checked.counted} under a quota carried their limit and a \`helicone-ratelimit-remaining\` that counted them (for the policy, exactly its limit minus the requests its user had sent; for the usd quota, below the answer before). **added over no quota** is the variant minus the no-quota request on the same counters at the same percentile; the target is on the Redis rows' p50.

${markdownTable(quotasTable(quotas))}
`;
}

const count = (n: number) => n.toLocaleString('en-US');
const perSecond = (n: number) => (n < 100 ? n.toFixed(1) : n.toFixed(0));
const partCpu = (cpu: PartCpu) => [cpu.bench, cpu.jvm, cpu.others].map(percent).join(' / ');

/** The aggregator's batches (once, and each twice) and the rebuild of the day at each size. */
export function rollupsThroughputTable(rollups: RollupsComparison): Table {
  const { once, twice } = rollups.aggregator;
  const pair = (s: LatencySummary) => `${ms(s.p50)} / ${ms(s.p95)}`;
  return {
    title: 'Usage rollups on DynamoDB Local: the aggregator and the rebuild',
    headers: [
      'what',
      'records',
      'handler ms per batch p50 / p95',
      'records/s',
      'checked',
      'CPU: bench / JVM / other processes (% of a core)',
    ],
    rows: [
      [
        `aggregator, each batch once (${once.batches} batches of ${rollups.batchSize}, one shard)`,
        count(once.records),
        pair(once.batchMs),
        perSecond(once.recordsPerSecond),
        `day bucket +${count(once.counted)}`,
        partCpu(once.cpu),
      ],
      [
        `aggregator, each batch delivered twice: first delivery (${twice.batches} batches)`,
        count(twice.records),
        pair(twice.batchMs),
        perSecond(twice.recordsPerSecond),
        `day bucket +${count(twice.counted)} (each once)`,
        partCpu(twice.cpu),
      ],
      [
        'aggregator, each batch delivered twice: second delivery (the checkpoint skip)',
        count(twice.records),
        pair(twice.secondDeliveryMs),
        `${perSecond(twice.recordsPerSecondWithRedelivery)} over both deliveries`,
        'nothing added (the day bucket above)',
        '(the row above)',
      ],
      ...rollups.flat.sizes.map((size) => [
        `rebuild of ${rollups.flat.day}, ${count(size.requests)} requests logged`,
        count(size.rebuild.requests),
        '',
        perSecond(size.rebuild.recordsPerSecond),
        `${count(size.rebuild.buckets)} buckets written in ${(size.rebuild.ms / 1000).toFixed(1)} s`,
        partCpu(size.rebuild.cpu),
      ]),
      ...rollups.flat.sizes.map((size) => [
        `request-log writes for the rebuild (BatchWriteItem of 25, ${rollups.flat.writeConcurrency} at once)`,
        count(size.logWrite.items),
        '',
        `${perSecond(size.logWrite.itemsPerSecond)} items/s`,
        '',
        partCpu(size.logWrite.cpu),
      ]),
    ],
  };
}

/** Items a call read: the rollups table's, and any key lookup's beside them. */
function itemsRead(query: MetricQueryRun): string {
  const { min, max } = query.rollupItemsPerCall;
  const rollupItems = min === max ? String(min) : `${min}–${max}`;
  const other = query.otherItemsPerCall.max > 0 ? ` (+ ${query.otherItemsPerCall.min}–${query.otherItemsPerCall.max} key lookup)` : '';
  const operations = Object.entries(query.operations)
    .map(([operation, n]) => `${operation} ×${(n / query.calls).toFixed(n % query.calls === 0 ? 0 : 1)}`)
    .join(', ');
  return `${rollupItems}${other} in ${operations}, ${kb(query.answerBytesPerCall)}`;
}

/** Each metric's one-day query at each size, and the larger size over the smaller. */
export function rollupsQueriesTable(rollups: RollupsComparison): Table {
  const sizes = rollups.flat.sizes;
  const first = sizes[0];
  const last = sizes.at(-1);
  const ratioLabel = first && last ? `${count(last.requests)} ÷ ${count(first.requests)}` : '';
  return {
    title: `Usage rollups: GET /v1/metrics for one UTC day by the hour, at ${sizes.map((s) => count(s.requests)).join(' and ')} requests logged`,
    headers: [
      'metric',
      ...sizes.flatMap((size) => [`${count(size.requests)} requests: median / p95 ms`, 'rollup items read per call']),
      `items read, ${ratioLabel}`,
      `KB read, ${ratioLabel}`,
      `median time, ${ratioLabel}`,
      'answer (last call)',
    ],
    rows: ROLLUP_METRICS.map((metric) => {
      const small = first?.queries[metric];
      const large = last?.queries[metric];
      const items = (q: MetricQueryRun | undefined) => q?.rollupItemsPerCall.max ?? Number.NaN;
      return [
        `\`${metric}\``,
        ...sizes.flatMap((size) => [
          `${ms(size.queries[metric].ms.p50)} / ${ms(size.queries[metric].ms.p95)}`,
          itemsRead(size.queries[metric]),
        ]),
        small && large ? ratio(items(large), items(small)) : '–',
        small && large ? ratio(large.answerBytesPerCall, small.answerBytesPerCall) : '–',
        small && large ? ratio(large.ms.p50, small.ms.p50) : '–',
        sizes
          .map((size) => {
            const q = size.queries[metric];
            return `${q.points} points, ${q.total === null ? 'null' : q.total.toFixed(metric === 'error_rate' ? 2 : 0)}${metric === 'error_rate' ? '%' : ' ms'}`;
          })
          .join('; '),
      ];
    }),
  };
}

function rollupsSection(run: BenchRun): string {
  const rollups = run.rollups;
  if (!rollups) return '## Usage rollups\n\nNot measured in this run: it predates the usage rollups bench.\n';
  const { flat } = rollups;
  const calls = flat.sizes[0]?.queries.error_rate.calls ?? 0;
  const largest = flat.sizes.at(-1);
  const bucketsPerSecond = largest ? largest.rebuild.buckets / (largest.rebuild.ms / 1000) : 0;
  const minutesMore = bucketsPerSecond > 0 ? (flat.minuteBucketsNotWritten / bucketsPerSecond / 60).toFixed(0) : null;
  return `## Usage rollups

On a DynamoDB Local of their own (a fresh data directory, the tables \`npm start\` makes, the same JVM settings at nice 19), started for these figures after every other phase's processes had stopped, ${rollups.durationSeconds.toFixed(0)} s in all. DynamoDB Local is not DynamoDB (a JVM on the same two cores, storing to SQLite, where an item written costs a few ms of its CPU), so these rows say what the local runtime does here, nothing about AWS. The machine is shared: the last column is the CPU each side used meanwhile, other engineers' processes included, and a JVM at nice 19 gets only what they leave. The traffic (the same from run to run): ${rollups.workload}.

**The aggregator** is the Lambda handler (\`createRollupAggregatorHandler\`) fed the stream events of requests logged over the last five minutes, ${rollups.batchSize} records a batch as the local stream poller hands them, one shard, one batch at a time, after ${rollups.warmupBatches} warm-up batch on a shard of its own; records/s is the records over the handler's time. Then new records with every batch delivered twice in a row, as Lambda does after a timeout: the second delivery finds them at or before the shard's checkpoint and writes nothing. The all-traffic day bucket grew by exactly the records fed, each once, both times (checked). **The rebuild** is \`RollupRebuild\` over the whole day (it reads the day's log from the \`byDay\` index, a page at a time, and writes every bucket whole): its records/s grows with the traffic, since the buckets it writes (one per series and hour) fill up while the requests keep coming.

**The queries**: ${count(flat.sizes[0]?.requests ?? 0)} requests logged over ${flat.day} (spread over the UTC day; BatchWriteItem of 25, ${flat.writeConcurrency} at once), the day rebuilt, then \`GET /v1/metrics?metric=…&from=${flat.day}T00:00:00.000Z&to=<the next day>&interval=${flat.intervalSeconds}\` through the query API handler (an admin key; in this process, as a Lambda invocation with API Gateway's event), ${calls} calls of each metric taking turns after ${flat.warmupCalls} warm-up calls each; then more requests for the same day, up to ${flat.sizes
    .slice(1)
    .map((s) => count(s.requests))
    .join(
      ', then ',
    )} in all, rebuilt again, measured again. A loopback proxy between the query API and DynamoDB Local counts the items each call read (a Query's \`ScannedCount\`, the items of a BatchGetItem or GetItem answer) and the bytes of DynamoDB's answers. The items read are the day's 24 hour buckets whatever the traffic; each of them holds more latency and TTFT histogram bins (one attribute each) as more requests fill its latency range, up to the bins that range spans, and DynamoDB Local's time follows the bytes more than the items. Every answer was checked: 200, one point per hour, every logged request counted. The day is ${flat.dayOffset} days back, the latest whose minute buckets have expired (kept ${rollups.rollupRetentionDays.minute} days), so the rebuild writes only the hour and day buckets a query by the hour reads; a rebuild of yesterday would also have written ${count(flat.minuteBucketsNotWritten)} minute buckets at the larger size${minutesMore ? `, about ${minutesMore} more minutes at this run's rebuild rate` : ''}.

${section('###', rollupsQueriesTable(rollups))}
${section('###', rollupsThroughputTable(rollups))}`;
}

function sequentialTable(title: string, comparison: SequentialComparison, pick: 'total' | 'ttfb'): Table {
  const direct = comparison.targets.direct;
  return {
    title,
    headers: ['target', 'p50 / p95 / p99 ms', 'added p50 / p95 / p99 ms', 'n', 'failures'],
    rows: (Object.keys(comparison.targets) as TargetName[]).map((name) => {
      const t = comparison.targets[name];
      const s = t[pick];
      const d = direct[pick];
      return [
        label(name),
        percentiles(s),
        name === 'direct' ? '' : `${signedMs(s.p50 - d.p50)} / ${signedMs(s.p95 - d.p95)} / ${signedMs(s.p99 - d.p99)}`,
        String(t.n),
        t.failures ? `${t.failures} (${t.firstFailure})` : '0',
      ];
    }),
  };
}

function chunkTable(comparison: SequentialComparison): Table {
  return {
    title: 'Stream chunks: each SSE event through the target against the median arrival of the same event direct (ms)',
    headers: ['target', 'events per answer', 'delay vs direct p50 / p95 / p99', 'max', 'after the first event p50 / p95 / p99', 'samples'],
    rows: (Object.keys(comparison.targets) as TargetName[]).map((name) => {
      const c = comparison.targets[name].chunks;
      if (!c) return [label(name), '–', '–', '–', '–', '–'];
      const signed = (s: LatencySummary) => `${signedMs(s.p50)} / ${signedMs(s.p95)} / ${signedMs(s.p99)}`;
      return [
        label(name),
        String(c.events),
        signed(c.delayVsDirect),
        signedMs(c.delayVsDirect.max),
        signed(c.delayAfterFirstEvent),
        String(c.delayVsDirect.n),
      ];
    }),
  };
}

function throughputTable(run: BenchRun): Table {
  const tput = run.throughput.targets;
  return {
    title: `Throughput: ${run.throughput.connections} keep-alive connections, buffered, ${run.throughput.rounds} rounds per target`,
    headers: [
      'target',
      'req/s',
      '÷ Portkey',
      'latency p50 / p95 / p99 ms',
      'log backlog drained after (per round)',
      'req/s with drain',
      'CPU while loaded: client / mock / gateway / JVM / other processes',
      'requests',
      'failures',
      'logs stored',
    ],
    rows: (Object.keys(tput) as TargetName[]).map((name) => {
      const t: ThroughputTargetResult = tput[name];
      const logs = t.logs;
      return [
        label(name),
        t.rps.toFixed(0),
        ratio(t.rps, tput.portkey.rps),
        percentiles(t.latency),
        name === 'lookout' ? t.drainMsByRound.map((d) => `${ms(d / 1000)} s`).join(', ') : '',
        name === 'lookout' ? t.rpsWithDrain.toFixed(0) : '',
        [t.utilisation.client, t.utilisation.mock, t.utilisation.gateway, t.utilisation.jvm, t.utilisation.others].map(percent).join(' / '),
        String(t.requests),
        t.failures ? `${t.failures} (${t.firstFailure})` : '0',
        logs
          ? `${logs.stored} of ${logs.answered}${logs.duplicates ? `, ${logs.duplicates} duplicated` : ''}${logs.unexpected ? `, ${logs.unexpected} unexpected` : ''}${logs.withoutId ? `, ${logs.withoutId} without id` : ''}`
          : '',
      ];
    }),
  };
}

function cpuTable(run: BenchRun): Table {
  const row = (scenario: string, name: TargetName, cpu: CpuPerRequest) => [
    scenario,
    label(name),
    cpuMs(cpu.client),
    cpuMs(cpu.mock),
    cpuMs(cpu.gateway),
    cpuMs(cpu.jvm),
    cpuMs(cpu.client + cpu.mock + (cpu.gateway ?? 0) + (cpu.jvm ?? 0)),
    cpuMs(cpu.others),
  ];
  const rows: string[][] = [];
  for (const name of Object.keys(run.throughput.targets) as TargetName[])
    rows.push(row(`${run.throughput.connections} connections`, name, run.throughput.targets[name].cpuPerRequest));
  for (const name of Object.keys(run.sequentialBuffered.targets) as TargetName[])
    rows.push(row('sequential, buffered', name, run.sequentialBuffered.targets[name].cpuPerRequest));
  for (const name of Object.keys(run.streamed.targets) as TargetName[])
    rows.push(row('sequential, streamed', name, run.streamed.targets[name].cpuPerRequest));
  return {
    title: 'CPU time per request, by process (ms)',
    headers: [
      'scenario',
      'target',
      'client',
      'mock',
      'gateway process',
      'DynamoDB Local JVM',
      'all of the bench',
      'other processes (noise)',
    ],
    rows,
  };
}

function coldStartTable(run: BenchRun): Table {
  const c = run.coldStart;
  const gateway = c.bundles.find((b) => b.entry.endsWith('/gateway.ts'));
  return {
    title: 'Cold start: bundle sizes and the gateway bundle’s import time',
    headers: [
      'bundle',
      'index.mjs',
      'gzip',
      'source map',
      'import median / max (ms), 20 fresh processes',
      'process spawn → exit median (ms)',
    ],
    rows: c.bundles.map((b) => [
      b.entry,
      kb(b.bytes),
      kb(b.gzipBytes),
      kb(b.sourceMapBytes),
      b === gateway
        ? `${ms(median(c.gatewayImportMs))} / ${ms(Math.max(...c.gatewayImportMs))} with source maps; ${ms(median(c.gatewayImportMsWithoutSourceMaps))} without`
        : '',
      b === gateway ? ms(median(c.gatewayProcessMs)) : '',
      b === gateway && c.gatewayImportRssBytes?.length ? mb(median(c.gatewayImportRssBytes)) : '',
    ]),
  };
}

export interface ProfiledRun {
  run: BenchRun & { profile: ProfileSummary };
  file: string;
}

const share = (items: ProfileSummary['byPackage'], name: string) => {
  const item = items.find((s) => s.name === name);
  return item ? `${(item.share * 100).toFixed(1)}% (${item.ms.toFixed(0)} ms)` : '–';
};

/** The two profiles side by side: busy time per request, then the packages on top of either. */
export function profileBeforeAfterTable(before: ProfiledRun | null, after: ProfiledRun | null): Table {
  const sides = [before, after].filter((p): p is ProfiledRun => p !== null);
  const heading = (p: ProfiledRun, side: string) =>
    `${side}: ${p.run.machine.commit}, ${p.run.machine.date.slice(0, 16)}${p.run.label ? ` (${p.run.label})` : ''}`;
  const headers = ['figure', ...(before ? [heading(before, 'before')] : []), ...(after ? [heading(after, 'after')] : [])];
  const cells = (f: (p: ProfiledRun) => string) => sides.map(f);
  const packages = [...new Set(sides.flatMap((p) => p.run.profile.byPackage.slice(0, 8).map((s) => s.name)))];
  const shares = (p: ProfiledRun) => p.run.profile.byPackage;
  return {
    title: 'CPU profile of the Lookout process, before and after',
    headers,
    rows: [
      ['profiled', ...cells((p) => p.run.profile.covers)],
      ['busy ms per request (profiler on)', ...cells((p) => cpuMs(p.run.profile.busyMsPerRequest))],
      ['busy / wall ms', ...cells((p) => `${p.run.profile.busyMs.toFixed(0)} / ${p.run.profile.wallMs.toFixed(0)}`)],
      [
        'gateway-process CPU ms/request from /proc, 32 conn., same run',
        ...cells((p) => cpuMs(p.run.throughput.targets.lookout.cpuPerRequest.gateway)),
      ],
      ...packages.map((name) => [`self time: ${name}`, ...cells((p) => share(shares(p), name))]),
    ],
  };
}

function profileTables(profile: ProfileSummary, side: string): Table[] {
  const rows = (items: ProfileSummary['byPackage']) => items.map((s) => [s.name, `${(s.share * 100).toFixed(1)}%`, s.ms.toFixed(0)]);
  return [
    { title: `${side}: self time by package`, headers: ['package', 'share of busy', 'ms'], rows: rows(profile.byPackage.slice(0, 15)) },
    { title: `${side}: self time by function`, headers: ['function', 'share of busy', 'ms'], rows: rows(profile.byFunction.slice(0, 20)) },
  ];
}

/** The profile section: the latest profiled runs at the baseline commit (before) and not at it (after). */
function profileSection(profiles: { before: ProfiledRun | null; after: ProfiledRun | null }): string {
  const { before, after } = profiles;
  if (!before && !after) return 'A CPU profile of the Lookout process under load is added here by `npm run bench -- --profile`.\n';
  const from = [
    before
      ? `before is \`${before.file}\` (the latest profiled run at the baseline's commit)`
      : "no profiled run at the baseline's commit yet",
    after ? `after is \`${after.file}\` (the latest profiled run at any other commit)` : 'no profiled run at another commit yet',
  ].join('; ');
  const tables = [
    ...(before ? profileTables(before.run.profile, `Before (${before.run.machine.commit})`) : []),
    ...(after ? profileTables(after.run.profile, `After (${after.run.machine.commit})`) : []),
  ];
  return `### CPU profile of the Lookout process, 32 connections: before and after

Taken from the profiled runs (\`npm run bench -- --profile\`) whichever file the figures above come from: ${from}. Each is a V8 CPU profile of the Lookout stack process's main thread during the 32-connection phase (the \`.cpuprofile\` files in \`bench/results/profiles/\` are not committed). The profiler slows the Lookout process: a profiled run's gateway-process CPU per request from /proc (the fourth row) is above an unprofiled run's (the CPU table's). Busy ms per request counts the main thread only (/proc counts all of the process's threads), so it is not the unprofiled CPU figure either and can be above or below it; compare the two profiles with each other, and take the cost itself from the unprofiled figures above. Shares are of the busy time (idle left out); "(garbage collector)" and "(program)" are V8's own.

${markdownTable(profileBeforeAfterTable(before, after))}

${tables.map((t) => section('####', t)).join('\n')}`;
}

function steadyMemoryTable(run: BenchRun): Table {
  const checkpoints = run.steadyMemory.checkpoints;
  return {
    title: `Lookout process memory after full GC, streamed requests at concurrency ${run.steadyMemory.concurrency}`,
    headers: [
      'checkpoint',
      'requests',
      'req/s',
      'log backlog drained after',
      'rss',
      'heapUsed',
      'external',
      'arrayBuffers',
      'Δ heapUsed / request',
      'Δ rss / request',
      'Δ external / request',
    ],
    rows: checkpoints.map((c, i) => {
      const previous = checkpoints[i - 1];
      const perRequest = (field: 'heapUsed' | 'rss' | 'external') =>
        previous ? signedBytes((c.memory[field] - previous.memory[field]) / c.requests) : '';
      return [
        c.label,
        `${c.requests}${c.failures ? ` (${c.failures} failed)` : ''}`,
        c.throughputRps.toFixed(0),
        `${ms(c.logSettleMs)} ms`,
        mib(c.memory.rss),
        mib(c.memory.heapUsed),
        mib(c.memory.external),
        mib(c.memory.arrayBuffers),
        perRequest('heapUsed'),
        perRequest('rss'),
        perRequest('external'),
      ];
    }),
  };
}

function largeResponseTable(run: BenchRun): Table {
  return {
    title: `Large streamed answers through Lookout (maxBodyBytes = ${mib(run.maxBodyBytes)})`,
    headers: [
      'answer',
      'direct ms (median)',
      'Lookout ms (median)',
      'Lookout ÷ direct',
      'Lookout MiB/s',
      'peak Δ rss',
      'peak Δ heap + buffers',
      'live peak Δ heap + buffers',
      'after GC Δ heap + buffers / rss',
      'stored response body',
      'logged after',
    ],
    rows: run.largeResponses.map((l) => {
      const direct = median(l.directMs);
      const gateway = median(l.gatewayMs);
      const heapAndBuffers = (m: { heapUsed: number; arrayBuffers: number }) => m.heapUsed + m.arrayBuffers;
      return [
        `${mib(l.responseBytes)} × ${l.directMs.length}`,
        ms(direct),
        ms(gateway),
        ratio(gateway, direct),
        (l.responseBytes / 1024 / 1024 / (gateway / 1000)).toFixed(0),
        signedMib(l.peaks.rss - l.before.rss),
        signedMib(l.peaks.heapAndBuffers - heapAndBuffers(l.before)),
        signedMib(l.livePeaks.heapAndBuffers - heapAndBuffers(l.before)),
        `${signedMib(heapAndBuffers(l.after) - heapAndBuffers(l.before))} / ${signedMib(l.after.rss - l.before.rss)}`,
        l.storedResponseBytes === null ? 'none' : mib(l.storedResponseBytes),
        `${ms(l.logSettleMs)} ms`,
      ];
    }),
  };
}

function memoryTimelineTable(run: BenchRun): Table {
  return {
    title: 'Lookout process memory through the run, after full GC',
    headers: ['after', 'rss', 'rss anonymous', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'],
    rows: run.memoryTimeline.map(({ label: l, memory: m }) => [
      l,
      mib(m.rss),
      m.rssAnon === null ? '–' : mib(m.rssAnon),
      mib(m.heapTotal),
      mib(m.heapUsed),
      mib(m.external),
      mib(m.arrayBuffers),
    ]),
  };
}

function logWriteTable(run: BenchRun): Table {
  return {
    title: 'Request-log write: last byte at the client → log item readable by Lookout-Id (one request at a time)',
    headers: [
      'request',
      'n',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'found at first poll',
      'poll round trip p50 / p95 ms',
      'never logged (10 s)',
    ],
    rows: run.logWrites.map((w) => [
      w.kind,
      String(w.loggedAfter.n),
      ms(w.loggedAfter.p50),
      ms(w.loggedAfter.p95),
      ms(w.loggedAfter.p99),
      ms(w.loggedAfter.max),
      `${(w.loggedAtFirstPoll * 100).toFixed(0)}%`,
      `${ms(w.pollRoundTrip.p50)} / ${ms(w.pollRoundTrip.p95)}`,
      String(w.notLogged),
    ]),
  };
}

/** The headline figures of two runs, side by side. */
export function beforeAfterTable(before: BenchRun, after: BenchRun): Table {
  const runLabel = (run: BenchRun) =>
    `${run.machine.commit}${run.machine.uncommittedGatewayChanges.length ? ' + uncommitted' : ''}, ${run.machine.date.slice(0, 16)}${run.label ? ` (${run.label})` : ''}`;
  const figures: [string, (run: BenchRun) => string][] = [];
  for (const name of GATEWAY_NAMES) {
    const l = GATEWAY_LABELS[name];
    figures.push([
      `${l}: added median / p99, buffered (ms)`,
      (r) =>
        `${signedMs(added(r.sequentialBuffered, name, 'total', 'p50'))} / ${signedMs(added(r.sequentialBuffered, name, 'total', 'p99'))}`,
    ]);
    figures.push([
      `${l}: req/s at 32 connections (÷ Portkey)`,
      (r) => `${r.throughput.targets[name].rps.toFixed(0)} (${ratio(r.throughput.targets[name].rps, r.throughput.targets.portkey.rps)})`,
    ]);
    if (name === 'lookout') {
      figures.push(['Lookout: req/s with the log backlog drained', (r) => r.throughput.targets.lookout.rpsWithDrain.toFixed(0)]);
      figures.push(['Lookout: DynamoDB Local JVM CPU ms/request, 32 conn.', (r) => cpuMs(r.throughput.targets.lookout.cpuPerRequest.jvm)]);
    }
    figures.push([`${l}: gateway CPU ms/request, 32 conn.`, (r) => cpuMs(r.throughput.targets[name].cpuPerRequest.gateway)]);
    figures.push([
      `${l}: stream added TTFB median / p99 (ms)`,
      (r) => `${signedMs(added(r.streamed, name, 'ttfb', 'p50'))} / ${signedMs(added(r.streamed, name, 'ttfb', 'p99'))}`,
    ]);
    figures.push([
      `${l}: per-chunk delay median / p99 (ms)`,
      (r) => {
        const c = r.streamed.targets[name].chunks;
        return c ? `${signedMs(c.delayVsDirect.p50)} / ${signedMs(c.delayVsDirect.p99)}` : '–';
      },
    ]);
    figures.push([`${l}: peak RSS, 32 conn.`, (r) => mb(r.throughput.targets[name].peakRssBytes)]);
  }
  figures.push([
    'direct: median / p99, buffered (ms)',
    (r) => `${ms(r.sequentialBuffered.targets.direct.total.p50)} / ${ms(r.sequentialBuffered.targets.direct.total.p99)}`,
  ]);
  figures.push(['direct: req/s at 32 connections', (r) => r.throughput.targets.direct.rps.toFixed(0)]);
  figures.push([
    'gateway bundle',
    (r) => {
      const b = r.coldStart.bundles.find((x) => x.entry.endsWith('/gateway.ts'));
      return b ? kb(b.bytes) : '–';
    },
  ]);
  figures.push([
    'query API bundle',
    (r) => {
      const b = r.coldStart.bundles.find((x) => x.entry.endsWith('/query-api.ts'));
      return b ? kb(b.bytes) : '–';
    },
  ]);
  figures.push(['gateway bundle import, median (ms)', (r) => ms(median(r.coldStart.gatewayImportMs))]);
  const cachePair = (r: BenchRun, figure: (s: CacheScenario) => number) =>
    r.responseCache ? `${signedMs(figure(r.responseCache.buffered))} / ${signedMs(figure(r.responseCache.streamed))}` : '–';
  figures.push([
    'response cache, Redis: HIT added p50 over direct, buffered / streamed TTFB (ms)',
    (r) => cachePair(r, (s) => cacheAdded(s, 'hit', 'p50')),
  ]);
  figures.push([
    'response cache, Redis: HIT − MISS p50, buffered / streamed TTFB (ms)',
    (r) => cachePair(r, (s) => hitMinusMiss(s, 'p50')),
  ]);
  const quotaPair = (r: BenchRun, backend: QuotaBackend) =>
    r.quotas
      ? `${signedMs(quotaAdded(r.quotas, backend, 'policy', 'p50'))} / ${signedMs(quotaAdded(r.quotas, backend, 'usd', 'p50'))}`
      : '–';
  figures.push(['quotas, Redis: added p50 over no quota, RateLimit-Policy / usd quota (ms)', (r) => quotaPair(r, 'redis')]);
  figures.push([
    'quotas, DynamoDB Local: added p50 over no quota, RateLimit-Policy / usd quota (ms)',
    (r) => quotaPair(r, 'dynamoDbLocal'),
  ]);
  const largestSize = (r: BenchRun) => r.rollups?.flat.sizes.at(-1);
  figures.push([
    'usage rollups, DynamoDB Local: aggregator records/s, each batch once / second delivery p50 (ms)',
    (r) =>
      r.rollups ? `${perSecond(r.rollups.aggregator.once.recordsPerSecond)} / ${ms(r.rollups.aggregator.twice.secondDeliveryMs.p50)}` : '–',
  ]);
  figures.push([
    'usage rollups: one-day error_rate / latency_p95 median ms and items read, at the largest size',
    (r) => {
      const size = largestSize(r);
      return size
        ? `${ms(size.queries.error_rate.ms.p50)} / ${ms(size.queries.latency_p95.ms.p50)} ms, ${size.queries.error_rate.rollupItemsPerCall.max} items (${count(size.requests)} requests)`
        : '–';
    },
  ]);
  return {
    title: 'Before and after',
    headers: ['figure', `before: ${runLabel(before)}`, `after: ${runLabel(after)}`],
    rows: figures.map(([name, value]) => [name, value(before), value(after)]),
  };
}

/** The tables printed at the end of `npm run bench`. */
export function consoleTables(run: BenchRun): Table[] {
  return [
    sideBySideTable(run),
    issueFiguresTable(run),
    targetsTable(run),
    ...(run.responseCache ? [responseCacheTable(run.responseCache)] : []),
    ...(run.quotas ? [quotasTable(run.quotas)] : []),
    ...(run.rollups ? [rollupsQueriesTable(run.rollups), rollupsThroughputTable(run.rollups)] : []),
    sequentialTable('Buffered, sequential: send → last byte', run.sequentialBuffered, 'total'),
    sequentialTable('Streamed (5 ms between events), sequential: TTFB', run.streamed, 'ttfb'),
    chunkTable(run.streamed),
    throughputTable(run),
    cpuTable(run),
    coldStartTable(run),
  ];
}

export function textTable(table: Table): string {
  const widths = table.headers.map((h, i) => Math.max(h.length, ...table.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [table.title, line(table.headers), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)].join('\n');
}

function markdownTable(table: Table): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${table.headers.map(escape).join(' | ')} |`,
    `| ${table.headers.map(() => '---').join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

const section = (level: string, table: Table, text = '') =>
  `${level} ${table.title}\n\n${text ? `${text}\n\n` : ''}${markdownTable(table)}\n`;

export function benchmarksMarkdown(
  run: BenchRun,
  resultsFile: string,
  before: { run: BenchRun; file: string } | null,
  profiles: { before: ProfiledRun | null; after: ProfiledRun | null } = { before: null, after: null },
): string {
  const m = run.machine;
  const failures = [
    ...[run.sequentialBuffered, run.streamed].flatMap((c) => Object.entries(c.targets)),
    ...Object.entries(run.throughput.targets),
  ]
    .filter(([, t]) => t.failures > 0)
    .map(([name, t]) => `${label(name as TargetName)}: ${t.failures} (${t.firstFailure})`);
  return `# Lookout benchmarks

Rendered by \`npm run bench:report\` from \`${resultsFile}\`, written by \`npm run bench\` (which
renders this file at its end). Every figure is from that one run on the machine below; compare
**differences and ratios within a run**, not absolute milliseconds across runs.

| | |
| --- | --- |
| date | ${m.date} |
| command | \`npm run bench\`${run.options.scale !== 1 ? ` with BENCH_SCALE=${run.options.scale}` : ''}${run.options.profile ? ' -- --profile' : ''} (took ${run.durationSeconds.toFixed(0)} s) |
| commit | ${m.commit} (${m.commitSubject.replaceAll('|', '\\|').slice(0, 100)}); uncommitted changes under \`lambdas/\` when run: ${m.uncommittedGatewayChanges.length ? m.uncommittedGatewayChanges.join(', ') : 'none'} |
| \`nproc\` | ${m.nproc} (${m.cpuModel}), ${m.totalMemory} RAM, ${m.os} |
| node | ${m.benchNode} (bench client), ${m.gatewayNode} (gateways) |
| DynamoDB Local | ${m.java} |
${run.responseCache ? `| Redis | ${run.responseCache.redisServer} (the response cache's${run.quotas ? " and the quotas'" : ''} figures) |\n` : ''}| gateway config | defaults: \`maxBodyBytes\` ${mib(run.maxBodyBytes)}, \`inlineBodyMaxBytes\` ${run.inlineBodyMaxBytes} B, key cache on |

## What runs

${GATEWAY_NAMES.map((n) => `- **${GATEWAY_LABELS[n]}**: ${run.gateways[n].description}`).join('\n')}
- **direct**: the same client calling the loopback mock provider (its own process) with the same
  request bytes (every side gets Lookout's and Portkey's headers; each ignores the other's).

One undici agent (keep-alive, up to 32 connections per origin) is the client for every side.
Every measurement runs in rounds; each round visits every target once, direct included, in an
order that rotates from round to round, after a warm-up of each. After each target's turn the
bench waits until that target is idle (for Lookout: its last request log stored), so each turn's
CPU, taken from /proc for every process, is its own. **added** is the target minus direct at the
same percentile in the same run (a difference of two distributions, not of paired requests).

${section('##', sideBySideTable(run), 'What limits each at 32 connections is read from the CPU each process used while the load ran: a Node process near 100% of one core is held by its main thread; Lookout also by the time DynamoDB Local needs to store the backlog.')}
${section('##', issueFiguresTable(run), "The machine is shared and its speed varies from run to run (the CPU table's last column is what other processes used meanwhile); set this run's figures for the floor and Portkey against the issue's to see how much slower or faster it was.")}
${responseCacheSection(run)}
${quotasSection(run)}
${rollupsSection(run)}
${section('##', targetsTable(run), 'Where a target is missed, the next section says why, and the profile section (`npm run bench -- --profile`) and the CPU table show where the time goes.')}
${TARGET_ANALYSIS}
${before ? section('##', beforeAfterTable(before.run, run), `Before is \`${before.file}\`, after is this run. The direct rows and the floor show how much the machine itself moved between the two runs.`) : ''}
## How to run

- \`npm run bench\` (about 5 minutes, and some 15 more for the usage rollups' phase, most of them
  DynamoDB Local storing the 100,000 request logs; \`BENCH_SCALE=0.1\` makes that a few): starts
  every process itself on free loopback ports, writes \`bench/results/<date>-<commit>.json\` and
  renders this file from it. \`-- --label "<what changed>"\`
  notes the change in the results; \`BENCH_SCALE=0.2\` is a quick trial (never the baseline).
- \`npm run bench -- --profile\` also records a V8 CPU profile of the Lookout process during the
  32-connection phase (\`bench/results/profiles/\`, not committed) and keeps its summary in the
  results file; the profile section sets the latest profiled run at the baseline's commit beside the
  latest profiled run at any other commit;
  \`npx tsx bench/summarize-profile.ts <file>\` summarizes any \`.cpuprofile\`.
- \`BENCH_ONLY=rollups npm run bench\` runs the usage rollups' phase alone (with \`BENCH_SCALE\` as set:
  \`0.1\` logs 1,000 and 10,000 requests), prints its tables and writes its figures to a JSON file in
  the temporary directory; it writes no results file and leaves this file as it is.
- \`npm run bench:report [-- <results.json>] [--before <results.json>]\` renders this file again.
  The baseline is the latest run at the commit of the oldest run; to measure a fixed commit with
  today's bench: \`git worktree add /tmp/bench-base <commit>\`, symlink \`node_modules\`, copy
  \`bench/\` in, run there, and copy its results file into \`bench/results/\`.

## Details

${section('###', sequentialTable('Buffered chat completion, sequential (latency = send → last byte)', run.sequentialBuffered, 'total'), `${run.sequentialBuffered.rounds} rounds. The mock answers at once; this is each gateway's whole cost for a small buffered answer.`)}
${section('###', sequentialTable('Streamed chat completion, sequential: TTFB (send → first body byte)', run.streamed, 'ttfb'), `${run.streamed.rounds} rounds. The mock streams its chat answer (role, 5 text pieces, stop, a usage chunk, \`[DONE]\`) with 5 ms after each event; the request asks for usage itself, so Lookout adds nothing upstream and every side gets the same events.`)}
${section('###', sequentialTable('Streamed chat completion, sequential: total (send → last byte)', run.streamed, 'total'))}
${section('###', chunkTable(run.streamed), "For each event k of each answer: its arrival (since send) minus the median arrival of event k direct. Direct's own row is its spread around those medians: the noise floor. \"After the first event\" measures from each answer's first event, so it is the relay's delay per chunk with the TTFB left out.")}
${section('###', throughputTable(run), `Each target's turn runs for a fixed time; Lookout's turn ends when its last log is stored ("drained after"), and "req/s with drain" counts that time too: the rate at which the logs keep up. Every round sends a user id of its own, and afterwards the bench lists each round's requests through the query API and matches them with the Lookout-Id of every answer. CPU is the share of one core each process used while the load ran.`)}
${section('###', cpuTable(run), "From /proc, every process's user + system time over each target's turns, divided by its requests; the gateway process column is the target's own process (Lookout's includes the log writes, the query API and the S3 server; it is the parent of DynamoDB Local's JVM, counted apart). The JVM column on other targets' rows is its background work.")}
${section('###', coldStartTable(run), 'Bundles built with esbuild exactly as `lib/constructs/lookout-function.ts` has NodejsFunction build them (ESM, node22, minified, `mainFields` module,main, the createRequire banner, a separate source map). Import: `await import(bundle)` timed inside 20 fresh `node` processes, with the `awslambda` global stubbed and only `AWS_REGION` set (the handler builds its dependencies on its first invocation).')}
${profileSection(profiles)}
${section('###', steadyMemoryTable(run), 'Memory of the Lookout stack process after forced full collections, once the last requests of each round were logged. Growth per request between later checkpoints is the leak signal (the first round pays one-time costs). RSS seldom shrinks, so judge leaks by heapUsed, external and arrayBuffers.')}
${section('###', largeResponseTable(run), 'The mock streams ~1 KB content events. "peak" is sampled every 5 ms while the timed requests ran and includes garbage not yet collected; "live peak" is one more request sampled every 10 ms right after a forced full GC.')}
${section('###', memoryTimelineTable(run))}
${section('###', logWriteTable(run), 'An upper bound: it includes the round trip of the poll that found the item; the poll round trip is its resolution.')}
## Run notes

- Failed requests: ${failures.length === 0 ? 'none' : failures.join('; ')}.
- Cold start: ${run.coldStart.error ? `failed: ${run.coldStart.error}` : 'measured'}.
${logNote('Lookout process log during the run', run.gatewayLog)}${run.responseCache ? logNote(`Log of the stack on Redis, during the response cache's${run.quotas ? " and the quotas'" : ''} figures`, run.responseCache.redisStackLog) : ''}`;
}

/** One run-notes item: a stack process's warnings and errors, and the first errors' details. */
function logNote(what: string, log: GatewayLogSummary): string {
  const top = log.topMessages.length ? ` (${log.topMessages.join('; ')})` : '';
  return `- ${what}: ${log.warnings} warnings, ${log.errors} errors${top}.\n${log.errorDetails.map((d) => `  - \`${d.replaceAll('`', "'")}\`\n`).join('')}`;
}
