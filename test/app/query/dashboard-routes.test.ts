import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { inMemoryQueryService, queryRequest } from '../../support/in-memory-query-stores.js';
import { InMemoryDashboardAssets } from '../../support/in-memory-dashboard-assets.js';

const TEMPLATE = '<!doctype html><link rel="stylesheet" href="%ASSETS%/app.css"><script type="module" src="%ASSETS%/app.js"></script>';
const APP_JS = `console.log(${JSON.stringify('dashboard '.repeat(200))});`;
const assets = new InMemoryDashboardAssets({
  'index.html': { text: TEMPLATE, contentType: 'text/html; charset=utf-8' },
  'assets/app.js': { text: APP_JS, contentType: 'text/javascript; charset=utf-8' },
  'assets/app.css': { text: 'body{margin:0}', contentType: 'text/css; charset=utf-8' },
});
const { service } = inMemoryQueryService(undefined, { dashboardAssets: assets });

/** A request as a browser sends it: no key. */
const get = (path: string, headers: Record<string, string> = {}) => service.handle(queryRequest('GET', path, headers));
const text = (bytes: Buffer | undefined) => bytes?.toString('utf8') ?? '';

describe('GET /dashboard: the page', () => {
  it('answers the page without a key, its asset URLs relative to the path as a browser resolves them', async () => {
    // Relative, since in AWS the page is under the stage (/<stage>/dashboard), which the Lambda does not see.
    const expected: Record<string, string> = {
      '/dashboard': 'dashboard/assets',
      '/dashboard/': 'assets',
      '/dashboard/requests': 'assets',
      '/dashboard/requests/': '../assets',
      '/dashboard/sessions/abc': '../assets',
      '/dashboard/sessions/a%2Fb': '../assets',
      '/dashboard/requests/r-1/extra': '../../assets',
    };
    for (const [path, folder] of Object.entries(expected)) {
      const response = await get(path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers['content-type'], 'text/html; charset=utf-8', path);
      assert.equal(
        text(response.bytes),
        `<!doctype html><link rel="stylesheet" href="${folder}/app.css"><script type="module" src="${folder}/app.js"></script>`,
        path,
      );
      // Resolved against the page's URL under a stage, each lands on the asset folder.
      const assetUrl = new URL(`${folder}/app.js`, `https://api.example.com/prod${path}`);
      assert.equal(assetUrl.pathname, '/prod/dashboard/assets/app.js', path);
    }
  });

  it('sends a Content-Security-Policy of its own origin only, and no referrer', async () => {
    const { headers } = await get('/dashboard/requests');
    const policy = Object.fromEntries(
      headers['content-security-policy']!.split(';').map((directive) => {
        const [name, ...values] = directive.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    assert.equal(policy['default-src'], "'self'");
    assert.equal(policy['script-src'], "'self'");
    assert.equal(policy['style-src'], "'self' 'unsafe-inline'");
    assert.equal(policy['img-src'], "'self' data:");
    assert.equal(policy['connect-src'], "'self'");
    assert.equal(policy['frame-ancestors'], "'none'");
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.equal(headers['referrer-policy'], 'no-referrer');
    assert.equal(headers['cache-control'], 'no-cache');
  });

  it('answers 405 to another method, as every route does', async () => {
    for (const path of ['/dashboard', '/dashboard/requests', '/dashboard/assets/app.js']) {
      const response = await service.handle(queryRequest('POST', path, {}));
      assert.equal(response.status, 405, path);
      assert.equal(response.headers.allow, 'GET', path);
      assert.equal((response.body as { error: { code: string } }).error.code, 'method_not_allowed');
    }
  });

  it('leaves look-alike paths to the JSON 404', async () => {
    const response = await get('/dashboards');
    assert.equal(response.status, 404);
    assert.equal((response.body as { error: { code: string } }).error.code, 'not_found');
  });
});

describe('GET /dashboard/assets/<file>', () => {
  it('answers a file with its type, an ETag and no-cache, and 304 when the ETag is already held', async () => {
    const response = await get('/dashboard/assets/app.js');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(response.headers['cache-control'], 'no-cache');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(text(response.bytes), APP_JS);
    const etag = response.headers.etag!;
    assert.match(etag, /^"[\w-]+"$/);

    const again = await get('/dashboard/assets/app.js', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.headers.etag, etag);
    assert.equal(again.bytes, undefined);
    assert.equal(again.headers['content-type'], undefined, "a 304 must not relabel the cached file's type");
    assert.equal((await get('/dashboard/assets/app.js', { 'if-none-match': `W/"other", ${etag}` })).status, 304);
    assert.equal((await get('/dashboard/assets/app.js', { 'if-none-match': '"other"' })).status, 200);

    const css = await get('/dashboard/assets/app.css');
    assert.equal(css.status, 200);
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    assert.notEqual(css.headers.etag, etag);
  });

  it('gzips a file for a client that accepts it, with an ETag of its own', async () => {
    const plain = await get('/dashboard/assets/app.js');
    const zipped = await get('/dashboard/assets/app.js', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(zipped.status, 200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'accept-encoding');
    assert.equal(gunzipSync(zipped.bytes!).toString('utf8'), APP_JS);
    assert.ok(zipped.bytes!.length < plain.bytes!.length);
    assert.notEqual(zipped.headers.etag, plain.headers.etag);
    const revalidated = await get('/dashboard/assets/app.js', { 'accept-encoding': 'gzip', 'if-none-match': zipped.headers.etag! });
    assert.equal(revalidated.status, 304);
  });

  it('answers the JSON 404 for a file the build did not make', async () => {
    for (const path of ['/dashboard/assets/nope.js', '/dashboard/assets/', '/dashboard/assets']) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.equal(response.headers['content-type'], 'application/json; charset=utf-8', path);
      assert.equal((response.body as { error: { code: string } }).error.code, 'not_found', path);
    }
  });
});

describe('the dashboard not built', () => {
  it('answers a 503 saying so, on the page and its assets', async () => {
    const unbuilt = inMemoryQueryService().service;
    for (const path of ['/dashboard', '/dashboard/assets/app.js']) {
      const response = await unbuilt.handle(queryRequest('GET', path, {}));
      assert.equal(response.status, 503, path);
      const { error } = response.body as { error: { code: string; message: string } };
      assert.equal(error.code, 'dashboard_not_built');
      assert.match(error.message, /LOOKOUT_DASHBOARD_DIR/);
    }
  });
});
