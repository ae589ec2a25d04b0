/**
 * Cold start, the part the bundle decides: each Lambda bundle's size, built with esbuild exactly
 * as `lib/constructs/lookout-function.ts` has NodejsFunction build it (ESM, node22, minified,
 * main fields module,main, the createRequire banner, a separate source map without sources, the
 * SDK bundled), and the time a fresh Node process takes to import the gateway bundle. Each
 * import is a new `node` process, as a new Lambda instance is; the handler builds its
 * dependencies on its first invocation, so importing it needs only the `awslambda` global the
 * runtime provides and a region.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The banner of lookout-function.ts: `require` for the CommonJS dependencies inside an ESM bundle. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as lookoutCreateRequire } from 'node:module'; const require = lookoutCreateRequire(import.meta.url);";

export interface BundleSize {
  /** The handler file, relative to the repository. */
  entry: string;
  /** index.mjs, minified. */
  bytes: number;
  gzipBytes: number;
  sourceMapBytes: number;
}

export interface ColdStart {
  bundles: BundleSize[];
  /** `await import(gateway bundle)` in fresh processes, ms, with the Lambda's NODE_OPTIONS (`--enable-source-maps`). */
  gatewayImportMs: number[];
  /** The same without source-map support, to show what it costs. */
  gatewayImportMsWithoutSourceMaps: number[];
  /** Spawn to exit of the processes above (Node's own start included), ms. */
  gatewayProcessMs: number[];
  /** VmRSS of those processes right after the import: the gateway's memory before any request (absent in older results). */
  gatewayImportRssBytes?: number[];
  error: string | null;
}

/** The esbuild arguments NodejsFunction derives from lookout-function.ts's bundling options. */
function esbuildArgs(entry: string, outDir: string): string[] {
  return [
    '--bundle',
    entry,
    '--target=node22',
    '--platform=node',
    '--format=esm',
    `--outfile=${join(outDir, 'index.mjs')}`,
    '--minify',
    '--sourcemap',
    '--sources-content=false',
    `--banner:js=${ESM_REQUIRE_BANNER}`,
    '--main-fields=module,main',
    '--log-level=warning',
  ];
}

/** Builds `entry` (a path in the repository) into `outDir`/index.mjs as a Lambda bundle is built; returns that file. */
export async function buildLambdaStyleBundle(entry: string, outDir: string): Promise<string> {
  await run(join(repoRoot, 'node_modules/.bin/esbuild'), esbuildArgs(join(repoRoot, entry), outDir), { cwd: repoRoot });
  return join(outDir, 'index.mjs');
}

const IMPORT_SCRIPT = `
globalThis.awslambda = { streamifyResponse: (handler) => handler, HttpResponseStream: { from: (stream) => stream } };
const start = performance.now();
await import(process.env.BENCH_BUNDLE_URL);
const importMs = performance.now() - start;
const status = (await import('node:fs')).readFileSync('/proc/self/status', 'utf8');
const rssKiB = Number(/^VmRSS:\\s+(\\d+)/m.exec(status)?.[1]);
process.stdout.write(JSON.stringify({ importMs, rssBytes: rssKiB * 1024 }));
`;

async function timeImport(bundle: string, sourceMaps: boolean): Promise<{ importMs: number; processMs: number; rssBytes: number }> {
  const start = performance.now();
  const { stdout } = await run(
    process.execPath,
    [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', IMPORT_SCRIPT],
    {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', BENCH_BUNDLE_URL: pathToFileURL(bundle).href },
    },
  );
  const { importMs, rssBytes } = JSON.parse(stdout) as { importMs: number; rssBytes: number };
  return { importMs, processMs: performance.now() - start, rssBytes };
}

/** Builds every handler in lambdas/handlers and times `imports` fresh imports of the gateway's. */
export async function measureColdStart(imports: number): Promise<ColdStart> {
  const result: ColdStart = {
    bundles: [],
    gatewayImportMs: [],
    gatewayImportMsWithoutSourceMaps: [],
    gatewayProcessMs: [],
    gatewayImportRssBytes: [],
    error: null,
  };
  const outRoot = mkdtempSync(join(tmpdir(), 'lookout-bench-bundles-'));
  try {
    const handlersDir = join(repoRoot, 'lambdas/handlers');
    const entries = readdirSync(handlersDir).filter((f) => f.endsWith('.ts'));
    let gatewayBundle: string | undefined;
    for (const file of entries) {
      const bundle = await buildLambdaStyleBundle(`lambdas/handlers/${file}`, join(outRoot, basename(file, '.ts')));
      result.bundles.push({
        entry: `lambdas/handlers/${file}`,
        bytes: statSync(bundle).size,
        gzipBytes: gzipSync(readFileSync(bundle)).length,
        sourceMapBytes: statSync(`${bundle}.map`).size,
      });
      if (file === 'gateway.ts') gatewayBundle = bundle;
    }
    if (!gatewayBundle) throw new Error('no lambdas/handlers/gateway.ts');
    // One import first, so the bundle is in the page cache like a warm Lambda host's disk.
    await timeImport(gatewayBundle, true);
    for (let i = 0; i < imports; i++) {
      const withMaps = await timeImport(gatewayBundle, true);
      result.gatewayImportMs.push(withMaps.importMs);
      result.gatewayProcessMs.push(withMaps.processMs);
      result.gatewayImportRssBytes?.push(withMaps.rssBytes);
      result.gatewayImportMsWithoutSourceMaps.push((await timeImport(gatewayBundle, false)).importMs);
    }
  } catch (error) {
    result.error = (error as Error).message.slice(0, 2_000);
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
  return result;
}
