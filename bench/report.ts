/**
 * `npm run bench:report [-- <results.json>] [--before <results.json>]`: renders BENCHMARKS.md
 * from a results file (default: the newest in bench/results not at the baseline's commit), with the before-and-after table
 * against `--before` (default: the baseline, the latest run at the commit of the oldest full-scale run). `npm run bench` does this at
 * its end with the file it wrote.
 */
import { writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readResults, resultsFiles } from './bench-results.js';
import { benchmarksMarkdown } from './benchmarks-report.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The baseline: the commit of the oldest full-scale run (a BENCH_SCALE trial is no baseline),
 * in its latest measurement, so the baseline can be measured again on a quieter machine.
 */
function baselineFile(): string | undefined {
  const full = resultsFiles().filter((f) => readResults(f).options.scale === 1);
  const first = full[0];
  if (!first) return undefined;
  const commit = readResults(first).machine.commit;
  return full.filter((f) => readResults(f).machine.commit === commit).at(-1);
}

/** The newest run that is not a measurement of the baseline commit (else the newest of all). */
function latestFile(): string | undefined {
  const files = resultsFiles();
  const baseline = baselineFile();
  const baselineCommit = baseline ? readResults(baseline).machine.commit : undefined;
  return files.filter((f) => readResults(f).machine.commit !== baselineCommit).at(-1) ?? files.at(-1);
}

/** Writes BENCHMARKS.md from `file`; returns the before file it compared with, if any. */
export function renderBenchmarks(file: string, beforeFile?: string): string | null {
  const before = beforeFile ?? baselineFile();
  const comparedWith = before && resolve(before) !== resolve(file) ? before : null;
  const markdown = benchmarksMarkdown(
    readResults(file),
    relative(repoRoot, file),
    comparedWith ? { run: readResults(comparedWith), file: relative(repoRoot, comparedWith) } : null,
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
