/**
 * Where a V8 CPU profile (`.cpuprofile`, as `--cpu-prof` or the inspector writes it) spends its
 * time: self time by function and by package (a node_modules package, a folder of lambdas/, or
 * Node's internals), as shares of the time the thread was busy (idle samples left out).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the busy time, 0..1. */
  share: number;
}

export interface ProfileSummary {
  file: string;
  /** What the profile covered. */
  covers: string;
  wallMs: number;
  busyMs: number;
  /** Busy ms per request of the profiled load, when the bench knows how many there were. */
  busyMsPerRequest: number | null;
  byPackage: SelfTime[];
  byFunction: SelfTime[];
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The package a script belongs to: `undici`, `@aws-sdk/client-dynamodb`, `lambdas/app/gateway`, `node:streams`. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith('node:')) {
    const parts = url.slice('node:'.length).split('/');
    return parts[0] === 'internal' && parts.length > 2 ? `node:${parts[1]}` : `node:${parts.at(-1)}`;
  }
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (path.startsWith(repoRoot)) {
    const parts = path.slice(repoRoot.length).split('/');
    return parts.slice(0, Math.min(parts.length - 1, parts[0] === 'lambdas' ? 3 : 2)).join('/') || parts[0]!;
  }
  return path;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) return url.slice(modules + '/node_modules/'.length);
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith(repoRoot) ? path.slice(repoRoot.length) : path;
}

export function summarizeCpuProfile(file: string, covers: string, requests: number | null, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    // A sample's time is the delta to the next sample (V8 stores the delta before each).
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + delta);
  }
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(root)') continue;
    busyUs += us;
    const name = url ? `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}` : functionName || '(native)';
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const ranked = (totals: Map<string, number>) =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / (busyUs || 1) }));
  return {
    file: file.startsWith(repoRoot) ? file.slice(repoRoot.length) : file,
    covers,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    busyMs: busyUs / 1000,
    busyMsPerRequest: requests ? busyUs / 1000 / requests : null,
    byPackage: ranked(byPackage),
    byFunction: ranked(byFunction),
  };
}

/** Two aligned text tables: self time by package and by function. */
export function profileSummaryText(summary: ProfileSummary): string {
  const rows = (items: SelfTime[]) =>
    items.map((s) => `  ${(s.share * 100).toFixed(1).padStart(5)}%  ${s.ms.toFixed(0).padStart(7)} ms  ${s.name}`).join('\n');
  return [
    `CPU profile of the gateway process (${summary.covers}): ${summary.file}`,
    `busy ${summary.busyMs.toFixed(0)} ms of ${summary.wallMs.toFixed(0)} ms wall` +
      (summary.busyMsPerRequest === null ? '' : `, ${summary.busyMsPerRequest.toFixed(3)} ms per request on the main thread`),
    'self time by package:',
    rows(summary.byPackage),
    'self time by function:',
    rows(summary.byFunction),
  ].join('\n');
}
