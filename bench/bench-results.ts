/**
 * The raw results of one `npm run bench`, as written to `bench/results/<date>-<commit>.json` and
 * read back by the report (`npm run bench:report`), so runs can be compared after the fact.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ColdStart } from './cold-start.js';
import type { ProfileSummary } from './cpu-profile-summary.js';
import type { GatewayName, SequentialComparison, ThroughputComparison } from './gateway-comparison.js';
import type { LargeResponseMemory, SteadyStateMemory } from './gateway-memory.js';
import type { QuotaComparison } from './quota-comparison.js';
import type { LogWriteResult } from './request-log-probe.js';
import type { ResponseCacheComparison } from './response-cache-comparison.js';
import type { RollupsComparison } from './rollups-comparison.js';
import type { MemorySnapshot } from './stack-process.js';

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

export interface MachineFacts {
  date: string;
  nproc: string;
  cpuModel: string;
  totalMemory: string;
  os: string;
  benchNode: string;
  gatewayNode: string;
  java: string;
  /** The commit the measured code is at (short), and its subject. */
  commit: string;
  commitSubject: string;
  /** Files under lambdas/ that differed from that commit when the run started. */
  uncommittedGatewayChanges: string[];
}

export interface GatewayFacts {
  label: string;
  /** What runs, and in which process. */
  description: string;
  nodeVersion: string;
}

/** Warnings and errors in a stack process's log. */
export interface GatewayLogSummary {
  warnings: number;
  errors: number;
  topMessages: string[];
  errorDetails: string[];
}

/** The response cache's figures (issue 9) with what they ran on. */
export interface ResponseCacheRun extends ResponseCacheComparison {
  /** `redis-server --version`, shortened. */
  redisServer: string;
  /** The log of the stack on Redis, whose process ran only for these figures. */
  redisStackLog: GatewayLogSummary;
}

/** The quotas' figures (issue 10) with what their Redis counters ran on. */
export interface QuotasRun extends QuotaComparison {
  /** `redis-server --version`, shortened: the response cache's server, whose stack this phase shares. */
  redisServer: string;
}

export interface BenchRun {
  schemaVersion: 1;
  /** A free-form note given with `--label` (e.g. "before: SDK DocumentClient"). */
  label: string | null;
  machine: MachineFacts;
  options: { scale: number; profile: boolean };
  durationSeconds: number;
  gateways: Record<GatewayName, GatewayFacts>;
  maxBodyBytes: number;
  inlineBodyMaxBytes: number;
  sequentialBuffered: SequentialComparison;
  streamed: SequentialComparison;
  throughput: ThroughputComparison;
  coldStart: ColdStart;
  logWrites: LogWriteResult[];
  steadyMemory: SteadyStateMemory;
  largeResponses: LargeResponseMemory[];
  /** The Lookout stack process after full GC, from its start through each phase to the end. */
  memoryTimeline: { label: string; memory: MemorySnapshot }[];
  gatewayLog: GatewayLogSummary;
  profile: ProfileSummary | null;
  /** Absent from the runs made before the response cache was measured. */
  responseCache?: ResponseCacheRun;
  /** Absent from the runs made before the quotas were measured. */
  quotas?: QuotasRun;
  /** The usage rollups' figures (on a DynamoDB Local of their own); absent from the runs made before they were measured. */
  rollups?: RollupsComparison;
}

/** `2026-12-01T10-52-25-1fd886d.json`: sortable by date, and says what was measured. */
export function resultsFileName(run: BenchRun): string {
  const date = run.machine.date.replace(/:/g, '-').replace(/\.\d+Z$/, '');
  const dirty = run.machine.uncommittedGatewayChanges.length > 0 ? '-dirty' : '';
  return `${date}-${run.machine.commit}${dirty}.json`;
}

export function writeResults(run: BenchRun): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, resultsFileName(run));
  writeFileSync(file, `${JSON.stringify(run, null, 1)}\n`);
  return file;
}

export function readResults(file: string): BenchRun {
  const run = JSON.parse(readFileSync(file, 'utf8')) as BenchRun;
  if (run.schemaVersion !== 1) throw new Error(`${file}: unknown results schema ${String(run.schemaVersion)}`);
  return run;
}

/** Every results file, oldest first. */
export function resultsFiles(): string[] {
  try {
    return readdirSync(RESULTS_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(RESULTS_DIR, f));
  } catch {
    return [];
  }
}
