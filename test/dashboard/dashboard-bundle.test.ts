/**
 * The dashboard as `npm start` and the CDK build it (dashboard/build-dashboard.ts), from the
 * front-end's real sources: its weight, and that it loads nothing from elsewhere.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { buildDashboard, type DashboardBuild } from '../../dashboard/build-dashboard.js';

/** Issue 13's budget: every KB is downloaded on each visit with an empty cache. */
const GZIPPED_JS_MAX_BYTES = 200 * 1024;

const outDir = mkdtempSync(join(tmpdir(), 'lookout-dashboard-build-'));
let built: DashboardBuild;
before(async () => {
  built = await buildDashboard(outDir);
});
after(() => rmSync(outDir, { recursive: true, force: true }));

describe('the dashboard build', () => {
  it('writes the page template and one script and one stylesheet', () => {
    for (const file of ['index.html', 'assets/app.js', 'assets/app.css']) assert.ok(built.files.includes(file), file);
    const page = readFileSync(join(outDir, 'index.html'), 'utf8');
    assert.match(page, /<script type="module" src="%ASSETS%\/app\.js"><\/script>/);
    assert.match(page, /<link rel="stylesheet" href="%ASSETS%\/app\.css"/);
  });

  it(`keeps app.js within ${GZIPPED_JS_MAX_BYTES / 1024} KB gzipped`, () => {
    const gzipped = gzipSync(readFileSync(join(outDir, 'assets', 'app.js')), { level: 9 }).length;
    assert.equal(built.gzippedJsBytes, gzipped);
    assert.ok(gzipped <= GZIPPED_JS_MAX_BYTES, `app.js is ${gzipped} bytes gzipped, over ${GZIPPED_JS_MAX_BYTES}`);
  });

  it('loads no script, stylesheet or module from another origin', () => {
    const page = readFileSync(join(outDir, 'index.html'), 'utf8');
    assert.doesNotMatch(page, /<(script|link|img|iframe)\b[^>]*\b(src|href)=["']?(https?:)?\/\//i);
    const js = readFileSync(join(outDir, 'assets', 'app.js'), 'utf8');
    assert.doesNotMatch(js, /\bimport\s*\(\s*["'`](https?:)?\/\//);
    assert.doesNotMatch(js, /\bfrom\s*["'`](https?:)?\/\//);
    assert.doesNotMatch(js, /<script[^>]+src=["']?(https?:)?\/\//i);
    const css = readFileSync(join(outDir, 'assets', 'app.css'), 'utf8');
    assert.doesNotMatch(css, /@import\s+(url\()?["']?(https?:)?\/\//i);
    assert.doesNotMatch(css, /url\(\s*["']?(https?:)?\/\//i);
  });
});
