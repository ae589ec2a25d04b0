/**
 * `npm run bench:report [-- <results.json>] [--before <results.json>]`: renders BENCHMARKS.md
 * from a results file (default: the newest in bench/results not at the baseline's commit), with the before-and-after table
 * against `--before` (default: the baseline, the latest run at the commit of the oldest full-scale run). `npm run bench` does this at
 * its end with the file it wrote. Its CPU profile section sets the latest profiled run at the baseline's
 * commit beside the latest profiled run at any other commit, whichever file the main figures come from.
 */
import { writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readResults, resultsFiles } from './bench-results.js';
import { benchmarksMarkdown, type ProfiledRun } from './benchmarks-report.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The baseline: the commit of the oldest full-scale run (a BENCH_SCALE trial is no baseline),
 * in its latest measurement, so the baseline can be measured again on a quieter machine; an
 * unprofiled one if there is any, since the profiler slows the Lookout process.
 */
function baselineFile(): string | undefined {
  const full = resultsFiles().filter((f) => readResults(f).options.scale === 1);
  const first = full[0];
  if (!first) return undefined;
  const commit = readResults(first).machine.commit;
  const atCommit = full.filter((f) => readResults(f).machine.commit === commit);
  return atCommit.filter((f) => !readResults(f).options.profile).at(-1) ?? atCommit.at(-1);
}

/** The newest run that is not a measurement of the baseline commit (else the newest of all). */
function latestFile(): string | undefined {
  const files = resultsFiles();
  const baseline = baselineFile();
  const baselineCommit = baseline ? readResults(baseline).machine.commit : undefined;
  return files.filter((f) => readResults(f).machine.commit !== baselineCommit).at(-1) ?? files.at(-1);
}

/**
 * The profile section's runs, whichever file the main figures come from: the latest profiled run at
 * the baseline's commit (before) and the latest profiled run at any other commit (after).
 */
function profiledRuns(): { before: ProfiledRun | null; after: ProfiledRun | null } {
  const baseline = baselineFile();
  const baselineCommit = baseline ? readResults(baseline).machine.commit : undefined;
  const profiled = resultsFiles()
    .map((file) => ({ run: readResults(file), file: relative(repoRoot, file) }))
    .filter((p): p is ProfiledRun => p.run.profile !== null);
  return {
    before: profiled.filter((p) => p.run.machine.commit === baselineCommit).at(-1) ?? null,
    after: profiled.filter((p) => p.run.machine.commit !== baselineCommit).at(-1) ?? null,
  };
}

/** Writes BENCHMARKS.md from `file`; returns the before file it compared with, if any. */
export function renderBenchmarks(file: string, beforeFile?: string): string | null {
  const before = beforeFile ?? baselineFile();
  const comparedWith = before && resolve(before) !== resolve(file) ? before : null;
  const markdown = benchmarksMarkdown(
    readResults(file),
    relative(repoRoot, file),
    comparedWith ? { run: readResults(comparedWith), file: relative(repoRoot, comparedWith) } : null,
    profiledRuns(),
  );
  writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), markdown);
  return comparedWith;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const beforeAt = args.indexOf('--before');
  const before = beforeAt === -1 ? undefined : args[beforeAt + 1];
  const positional = beforeAt === -1 ? args : args.filter((_, i) => i !== beforeAt && i !== beforeAt + 1);
  const file = positional[0] ?? latestFile();
  if (!file) {
    console.error('no results file: run `npm run bench` first, or name one');
    process.exit(2);
  }
  const comparedWith = renderBenchmarks(resolve(file), before && resolve(before));
  console.log(`wrote BENCHMARKS.md from ${file}${comparedWith ? `, before and after against ${comparedWith}` : ''}`);
}
