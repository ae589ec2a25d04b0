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

const IMPORT_SCRIPT = `
globalThis.awslambda = { streamifyResponse: (handler) => handler, HttpResponseStream: { from: (stream) => stream } };
const start = performance.now();
await import(process.env.BENCH_BUNDLE_URL);
process.stdout.write(String(performance.now() - start));
`;

async function timeImport(bundle: string, sourceMaps: boolean): Promise<{ importMs: number; processMs: number }> {
  const start = performance.now();
  const { stdout } = await run(
    process.execPath,
    [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', IMPORT_SCRIPT],
    {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', BENCH_BUNDLE_URL: pathToFileURL(bundle).href },
    },
  );
  return { importMs: Number(stdout), processMs: performance.now() - start };
}

/** Builds every handler in lambdas/handlers and times `imports` fresh imports of the gateway's. */
export async function measureColdStart(imports: number): Promise<ColdStart> {
  const result: ColdStart = { bundles: [], gatewayImportMs: [], gatewayImportMsWithoutSourceMaps: [], gatewayProcessMs: [], error: null };
  const outRoot = mkdtempSync(join(tmpdir(), 'lookout-bench-bundles-'));
  try {
    const handlersDir = join(repoRoot, 'lambdas/handlers');
    const entries = readdirSync(handlersDir).filter((f) => f.endsWith('.ts'));
    const esbuild = join(repoRoot, 'node_modules/.bin/esbuild');
    let gatewayBundle: string | undefined;
    for (const file of entries) {
      const outDir = join(outRoot, basename(file, '.ts'));
      await run(esbuild, esbuildArgs(join(handlersDir, file), outDir), { cwd: repoRoot });
      const bundle = join(outDir, 'index.mjs');
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
      result.gatewayImportMsWithoutSourceMaps.push((await timeImport(gatewayBundle, false)).importMs);
    }
  } catch (error) {
    result.error = (error as Error).message.slice(0, 2_000);
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
  return result;
}
