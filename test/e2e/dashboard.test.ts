/**
 * The dashboard through the local stack, as a browser loads it: the stack builds it at start,
 * the HTTP front routes `/dashboard` to the query API, and the page's asset URLs (relative to
 * the page) answer the bundle.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';

let fx: StackFixture;
before(async () => {
  fx = await startStackFixture();
});
after(() => fx?.close());

/** The URLs of the page's stylesheet and module script, resolved as the browser resolves them. */
function assetUrlsOf(page: string, pageUrl: string): { css: string; js: string } {
  const css = /<link rel="stylesheet" href="([^"]+)"/.exec(page)?.[1];
  const js = /<script type="module" src="([^"]+)"/.exec(page)?.[1];
  assert.ok(css && js, 'the page names its stylesheet and script');
  return { css: new URL(css, pageUrl).href, js: new URL(js, pageUrl).href };
}

describe('the dashboard on the local stack', () => {
  it('answers the page at any view path, without a key, and its assets at the URLs it names', async () => {
    for (const path of ['/dashboard', '/dashboard/', '/dashboard/requests', '/dashboard/sessions/s-1']) {
      const pageUrl = `${fx.url}${path}`;
      const response = await fetch(pageUrl);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8', path);
      assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/, path);
      const page = await response.text();
      assert.match(page, /<!doctype html>/i, path);
      assert.doesNotMatch(page, /%ASSETS%/, path);

      const { css, js } = assetUrlsOf(page, pageUrl);
      assert.equal(new URL(js).pathname, '/dashboard/assets/app.js', path);
      const script = await fetch(js);
      assert.equal(script.status, 200, js);
      assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.ok((await script.text()).length > 1000, 'the bundle');
      const stylesheet = await fetch(css);
      assert.equal(stylesheet.status, 200, css);
      assert.equal(stylesheet.headers.get('content-type'), 'text/css; charset=utf-8');
      await stylesheet.arrayBuffer();
    }
  });

  it('sends the bundle gzipped, and 304 once the browser holds it', async () => {
    const url = `${fx.url}/dashboard/assets/app.js`;
    // fetch asks for gzip and decodes it; the header says what came over the wire.
    const first = await fetch(url);
    assert.equal(first.headers.get('content-encoding'), 'gzip');
    const etag = first.headers.get('etag');
    assert.ok(etag);
    await first.arrayBuffer();
    const again = await fetch(url, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    await again.arrayBuffer();
  });

  it('answers an unknown asset and another method as the API does', async () => {
    const missing = await fetch(`${fx.url}/dashboard/assets/nope.js`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'not_found');
    const post = await fetch(`${fx.url}/dashboard`, { method: 'POST', body: '{}' });
    assert.equal(post.status, 405);
    await post.arrayBuffer();
  });
});
