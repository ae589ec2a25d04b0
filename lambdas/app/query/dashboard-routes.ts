import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { DASHBOARD_SEGMENT } from '../../contract/routes.js';
import { LookoutError } from '../../core/lookout-error.js';
import type { DashboardAsset, DashboardAssets } from '../../core/ports/dashboard-assets.js';
import type { QueryApp } from './query-route-context.js';

const DASHBOARD_PATH = `/${DASHBOARD_SEGMENT}`;

/** Where the page template puts the asset folder's URL. */
const ASSETS_PLACEHOLDER = '%ASSETS%';

/**
 * Only the dashboard's own files run or load. uPlot sets inline styles, hence 'unsafe-inline' for
 * styles alone; the page's API calls go to this same origin.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The page's URL can carry the admin key in its `#key=` fragment: browsers never send a fragment,
 * and no referrer leaves the page either.
 */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * `GET /dashboard` and everything under it, without a key (the page's own API calls carry the
 * admin key): `/dashboard/assets/<file>` is a file of the build, any other path the page, whose
 * client-side router shows the view the path names. Plain Hono routes, not in `/v1/openapi.json`:
 * they are not the API. `assets` undefined (no `LOOKOUT_DASHBOARD_DIR`) answers a 503 saying so.
 */
export function registerDashboardRoutes(app: QueryApp, assets: DashboardAssets | undefined): void {
  const serve = async (c: Context): Promise<Response> => {
    if (!assets) throw notBuilt('LOOKOUT_DASHBOARD_DIR is not set');
    // The path as sent (`c.req.path` has lost a trailing slash, which moves the browser's base).
    const rest = new URL(c.req.url).pathname.slice(DASHBOARD_PATH.length);
    if (rest === '/assets' || rest.startsWith('/assets/')) return assetAnswer(c, assets, rest.slice('/assets/'.length));
    const template = await assets.read('index.html');
    if (!template) throw notBuilt('its index.html is missing');
    const page = new TextDecoder().decode(template.bytes).replaceAll(ASSETS_PLACEHOLDER, assetFolderUrl(rest));
    return c.body(page, 200, PAGE_HEADERS);
  };
  app.get(DASHBOARD_PATH, serve);
  app.get(`${DASHBOARD_PATH}/*`, serve);
}

/**
 * The asset folder's URL relative to the page at `/dashboard<rest>`, as a browser resolves it
 * (from the last `/`): the page may be under a stage prefix (`/<stage>/dashboard`) that the
 * path the Lambda sees does not include, so the URL cannot be absolute.
 * `''` → `dashboard/assets`, `/` and `/requests` → `assets`, `/sessions/abc` → `../assets`.
 */
export function assetFolderUrl(rest: string): string {
  if (rest === '') return `${DASHBOARD_SEGMENT}/assets`;
  const depth = rest.split('/').length - 2;
  return `${'../'.repeat(depth)}assets`;
}

/**
 * A file of the build, gzipped for a client that takes it (JavaScript is most of the page's
 * weight, and API Gateway compresses nothing by itself), with an ETag per representation: the
 * names carry no hash, so the browser revalidates each time (`no-cache`) and gets a 304.
 */
async function assetAnswer(c: Context, assets: DashboardAssets, name: string): Promise<Response> {
  const asset = name === '' ? undefined : await assets.read(`assets/${name}`);
  if (!asset) throw new LookoutError(404, 'not_found', `No dashboard asset ${c.req.path}`);
  const gzip = compressible(asset) && /\bgzip\b/i.test(c.req.header('accept-encoding') ?? '');
  const { etag, gzipped } = representationsOf(asset);
  const tag = gzip ? `"${etag}-gzip"` : `"${etag}"`;
  const headers: Record<string, string> = {
    etag: tag,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...(compressible(asset) && { vary: 'accept-encoding' }),
  };
  if (matchesIfNoneMatch(c.req.header('if-none-match'), tag)) return c.body(null, 304, headers);
  const bytes = gzip ? gzipped() : asset.bytes;
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    ...headers,
    'content-type': asset.contentType,
    ...(gzip && { 'content-encoding': 'gzip' }),
  });
}

function notBuilt(reason: string): LookoutError {
  return new LookoutError(
    503,
    'dashboard_not_built',
    `The dashboard is not built into this deployment: ${reason}. Build it with \`tsx dashboard/build-dashboard.ts <dir>\` and set LOOKOUT_DASHBOARD_DIR to <dir>.`,
  );
}

function compressible(asset: DashboardAsset): boolean {
  return /^(text\/|application\/json|image\/svg)/.test(asset.contentType);
}

interface Representations {
  etag: string;
  gzipped(): Uint8Array;
}

/** Worked out once per file: the adapter keeps the same bytes for the life of the process. */
const representations = new WeakMap<Uint8Array, Representations>();

function representationsOf(asset: DashboardAsset): Representations {
  let known = representations.get(asset.bytes);
  if (!known) {
    let gzipped: Uint8Array | undefined;
    known = {
      etag: createHash('sha256').update(asset.bytes).digest('base64url').slice(0, 27),
      gzipped: () => (gzipped ??= gzipSync(asset.bytes, { level: 9 })),
    };
    representations.set(asset.bytes, known);
  }
  return known;
}

/** `If-None-Match` as RFC 9110 compares it for a GET: weakly, any of a list, or `*`. */
function matchesIfNoneMatch(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || value.replace(/^W\//, '') === tag;
  });
}
