/**
 * Builds the dashboard into `<outDir>`: `index.html` (the page template, `%ASSETS%` left for the
 * query API to replace with the asset folder's URL relative to the page) and `assets/app.js`,
 * `assets/app.css` (esbuild: one minified ES module for the browser and the CSS it imports).
 * Nothing comes from a CDN: every dependency is bundled.
 *
 * `npm start` builds it at start (lambdas/local/local-stack.ts), the CDK into the query API's
 * asset (lib/constructs/query-api.ts, as a command: `tsx dashboard/build-dashboard.ts <outDir>`).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The front-end's sources: `main.ts`, its entry, and `index.html`, the page template. */
export const DASHBOARD_SOURCE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'src');

/** What the template must name, so that the page loads the build. */
const ASSET_REFERENCES = ['%ASSETS%/app.js', '%ASSETS%/app.css'];

export interface DashboardBuild {
  /** The files written, relative to the output directory (`index.html`, `assets/app.js`, ...). */
  files: string[];
  jsBytes: number;
  /** `assets/app.js` gzipped, as a browser downloads it: the bundle's budget is counted in these. */
  gzippedJsBytes: number;
  cssBytes: number;
}

export async function buildDashboard(outDir: string, sourceDir: string = DASHBOARD_SOURCE_DIR): Promise<DashboardBuild> {
  const template = readFileSync(join(sourceDir, 'index.html'), 'utf8');
  const missing = ASSET_REFERENCES.filter((reference) => !template.includes(reference));
  if (missing.length > 0) throw new Error(`${join(sourceDir, 'index.html')} must reference ${missing.join(' and ')}`);

  const out = resolve(outDir);
  const assetsDir = join(out, 'assets');
  // A failed build leaves no page behind, rather than the last one's.
  rmSync(join(out, 'index.html'), { force: true });
  rmSync(assetsDir, { recursive: true, force: true });
  mkdirSync(assetsDir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(sourceDir, 'main.ts') },
    outdir: assetsDir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    // Fonts or images a stylesheet names are files of their own beside the bundle.
    assetNames: '[name]-[hash]',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    metafile: true,
  });
  // The template always links app.css: an entry importing no CSS gets an empty one, not a 404.
  const cssPath = join(assetsDir, 'app.css');
  if (!existsSync(cssPath)) writeFileSync(cssPath, '');
  copyFileSync(join(sourceDir, 'index.html'), join(out, 'index.html'));

  const written = new Set([...Object.keys(result.metafile.outputs).map((path) => resolve(path)), cssPath, join(out, 'index.html')]);
  const js = readFileSync(join(assetsDir, 'app.js'));
  return {
    files: [...written].map((path) => relative(out, path).split('\\').join('/')).sort(),
    jsBytes: js.length,
    gzippedJsBytes: gzipSync(js, { level: 9 }).length,
    cssBytes: readFileSync(cssPath).length,
  };
}

// As a command: `tsx dashboard/build-dashboard.ts <outDir>`.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: tsx dashboard/build-dashboard.ts <outDir>');
    process.exit(2);
  }
  buildDashboard(outDir).then(
    (built) => console.error(`dashboard built in ${outDir}: ${built.files.join(', ')} (app.js ${built.gzippedJsBytes} bytes gzipped)`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
