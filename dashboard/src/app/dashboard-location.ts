/**
 * Where the dashboard is served and which view a URL names. In AWS the page sits under the API
 * stage (`/<stage>/dashboard/...`), locally at `/dashboard/...`, so the base is read off the
 * page's own path rather than assumed, and the query API is the sibling `<prefix>/v1`.
 */

const SEGMENT = '/dashboard';

export type ViewRoute =
  | { view: 'overview' }
  | { view: 'requests'; requestId: string | null }
  | { view: 'users' }
  | { view: 'sessions'; sessionId: string | null }
  | { view: 'alerts'; alertId: string | null }
  | { view: 'cache' }
  | { view: 'not-found'; path: string };

/** The path prefix the dashboard is under, ending in `/dashboard`. */
export function dashboardBase(pathname: string): string {
  const at = pathname.indexOf(SEGMENT);
  return at === -1 ? SEGMENT : pathname.slice(0, at + SEGMENT.length);
}

/** Where the query API is for a dashboard at `base`: `<prefix>/v1`. */
export function apiBase(base: string): string {
  return `${base.slice(0, -SEGMENT.length)}/v1`;
}

/** The view a path under `base` names. */
export function routeOf(pathname: string, base: string): ViewRoute {
  const rest = pathname.startsWith(base) ? pathname.slice(base.length) : pathname;
  const parts = rest
    .split('/')
    .filter((part) => part !== '')
    .map(decodeURIComponent);
  const [first, second, ...more] = parts;
  if (more.length > 0) return { view: 'not-found', path: rest };
  switch (first) {
    case undefined:
      return { view: 'overview' };
    case 'requests':
      return { view: 'requests', requestId: second ?? null };
    case 'sessions':
      return { view: 'sessions', sessionId: second ?? null };
    case 'alerts':
      return { view: 'alerts', alertId: second ?? null };
    case 'users':
    case 'cache':
      return second === undefined ? { view: first } : { view: 'not-found', path: rest };
    default:
      return { view: 'not-found', path: rest };
  }
}

/** The path of a view under `base`. */
export function pathOf(base: string, ...segments: string[]): string {
  return [base, ...segments.map(encodeURIComponent)].join('/');
}
