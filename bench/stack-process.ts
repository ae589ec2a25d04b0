/**
 * The gateway process of the bench: the tests' local-stack fixture (DynamoDB Local, the S3
 * server, the gateway and query API Lambdas behind the local API Gateway stand-in) with its
 * providers aimed at the bench's mock process. It reports its own memory on request, tells when
 * every request log is stored (`idle`), and records a V8 CPU profile of itself on request.
 * With `BENCH_REDIS=1` (the response cache's and the quotas' runs) it also starts a redis-server
 * of its own and gives the stack its URL, as `LOOKOUT_REDIS_URL` does for `npm start`; without it
 * the response cache and the quota counters are the DynamoDB Local tables, as `npm start` has them
 * by default. Either way its runtime config has the quotas' usd quota.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseRuntimeConfig } from '../lambdas/core/runtime-config.js';
import { startStackFixture } from '../test/support/local-stack-fixture.js';
import { RedisServer } from '../test/support/redis-server.js';
import { serveBench } from './child-ipc.js';
import { cpuTime } from './process-cpu-time.js';
import { BENCH_USD_QUOTA } from './quota-comparison.js';

export interface StackReady {
  url: string;
  appKey: string;
  adminKey: string;
  maxBodyBytes: number;
  inlineBodyMaxBytes: number;
  nodeVersion: string;
  /** The environment the gateway Lambda runs with here (endpoints, names, runtime config). */
  gatewayEnvironment: Record<string, string>;
}

export interface MemorySnapshot {
  rss: number;
  /** Anonymous resident memory (heap, malloc, stacks), without mapped files such as code; Linux only. */
  rssAnon: number | null;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Handles and requests keeping the event loop alive (sockets, timers, ...), by type. */
  activeResources: Record<string, number>;
}

export type MemoryPeaks = Omit<MemorySnapshot, 'activeResources' | 'rssAnon'> & {
  /** Peak of heapUsed + arrayBuffers at one instant: JavaScript objects and Buffers together. */
  heapAndBuffers: number;
  samples: number;
};

const upstreamUrl = process.env.BENCH_UPSTREAM_URL;
if (!upstreamUrl) throw new Error('BENCH_UPSTREAM_URL is not set');

const redis = process.env.BENCH_REDIS === '1' ? await RedisServer.start() : undefined;
const fixture = await startStackFixture(
  {
    providers: { openai: { baseUrl: upstreamUrl }, anthropic: { baseUrl: upstreamUrl } },
    // The quotas' usd variant; it matches that variant's requests alone, so no other request meets a quota.
    quotas: [BENCH_USD_QUOTA],
  },
  // The gateway alone, as in AWS, where the rollups aggregator is a Lambda of its own: its
  // transactions would otherwise share this process's CPU and DynamoDB Local's JVM with the gateway
  // (bench/target-analysis.md, the figures of issues 11 and 12). The rollups phase measures it apart.
  // And its CloudWatch EMF line per request, written to stdout as in Lambda (the bench discards it).
  { rollupAggregator: false, gatewayMetrics: 'emf', ...(redis ? { redisUrl: redis.url } : {}) },
);
const appKey = await fixture.createKey('app', 'bench-app');
const adminKey = await fixture.createKey('admin', 'bench-admin');
const config = parseRuntimeConfig(fixture.stack.lambdaEnvironment);

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('the gateway process needs --expose-gc');

function snapshot(): MemorySnapshot {
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  const activeResources: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) activeResources[type] = (activeResources[type] ?? 0) + 1;
  return { rss, rssAnon: residentAnonymousBytes(), heapUsed, heapTotal, external, arrayBuffers, activeResources };
}

function residentAnonymousBytes(): number | null {
  try {
    const kib = /^RssAnon:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kib ? Number(kib) * 1024 : null;
  } catch {
    return null;
  }
}

let sampler: { timer: NodeJS.Timeout; peaks: MemoryPeaks } | undefined;
let profiler: Session | undefined;

serveBench(
  {
    url: fixture.url,
    appKey,
    adminKey,
    maxBodyBytes: config.maxBodyBytes,
    inlineBodyMaxBytes: config.inlineBodyMaxBytes,
    nodeVersion: process.version,
    gatewayEnvironment: { ...fixture.stack.lambdaEnvironment },
  } satisfies StackReady,
  {
    /** Memory after full collections, so what is left is what the gateway still holds. */
    async memoryAfterGc(): Promise<MemorySnapshot> {
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((resolve) => setImmediate(resolve));
      }
      return snapshot();
    },
    /** CPU time of this process and of DynamoDB Local's JVM (its child). */
    cpuTime,
    /** Settles once every invocation has finished, its request log stored (or dead-lettered). */
    async idle() {
      await fixture.stack.idle();
      return { ok: true };
    },
    /** Starts V8's sampling profiler in this process (the gateway's thread). */
    async startProfile({ intervalUs }: { intervalUs: number }) {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: intervalUs });
      await profiler.post('Profiler.start');
      return { ok: true };
    },
    /** Stops the profiler and writes the profile (`.cpuprofile`, as `--cpu-prof` writes it) to `file`. */
    async stopProfile({ file }: { file: string }) {
      if (!profiler) throw new Error('the profiler was not started');
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = undefined;
      writeFileSync(file, JSON.stringify(profile));
      return { file };
    },
    /**
     * Starts sampling memory every few ms, to catch the peak while a large answer streams. With
     * `collectFirst`, each sample follows a full collection, so the peak is of live memory only.
     */
    startPeakSampling({ intervalMs, collectFirst }: { intervalMs: number; collectFirst: boolean }) {
      const first = snapshot();
      const peaks: MemoryPeaks = {
        rss: first.rss,
        heapUsed: first.heapUsed,
        heapTotal: first.heapTotal,
        external: first.external,
        arrayBuffers: first.arrayBuffers,
        heapAndBuffers: first.heapUsed + first.arrayBuffers,
        samples: 1,
      };
      const timer = setInterval(() => {
        if (collectFirst) gc();
        const now = process.memoryUsage();
        peaks.rss = Math.max(peaks.rss, now.rss);
        peaks.heapUsed = Math.max(peaks.heapUsed, now.heapUsed);
        peaks.heapTotal = Math.max(peaks.heapTotal, now.heapTotal);
        peaks.external = Math.max(peaks.external, now.external);
        peaks.arrayBuffers = Math.max(peaks.arrayBuffers, now.arrayBuffers);
        peaks.heapAndBuffers = Math.max(peaks.heapAndBuffers, now.heapUsed + now.arrayBuffers);
        peaks.samples++;
      }, intervalMs);
      sampler = { timer, peaks };
      return { ok: true };
    },
    stopPeakSampling(): MemoryPeaks {
      if (!sampler) throw new Error('peak sampling was not started');
      clearInterval(sampler.timer);
      const { peaks } = sampler;
      sampler = undefined;
      return peaks;
    },
  },
  async () => {
    await fixture.close();
    await redis?.dispose();
  },
);
