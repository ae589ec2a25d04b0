import { decodePathSegment } from './query-parameters.js';

/** A query API endpoint, with its path parameters decoded. */
export type QueryRoute =
  | { name: 'health' }
  | { name: 'openapi' }
  | { name: 'listRequests' }
  | { name: 'getRequest'; requestId: string }
  | { name: 'listUsers' }
  | { name: 'userUsage'; userId: string }
  | { name: 'getSession'; sessionId: string };

/** The outcome of matching a method and path. */
export type RouteMatch =
  | { kind: 'route'; route: QueryRoute }
  | { kind: 'not_found' }
  | { kind: 'method_not_allowed'; allow: readonly string[] };

/** Endpoints that answer without a key: health checks and the API description. */
export function isPublicRoute(route: QueryRoute): boolean {
  return route.name === 'health' || route.name === 'openapi';
}

interface PathPattern {
  pattern: RegExp;
  route(captured: string | undefined): QueryRoute;
}

// User and session ids may contain `/` (once decoded), so their captures are greedy.
const PATHS: readonly PathPattern[] = [
  { pattern: /^\/healthz$/, route: () => ({ name: 'health' }) },
  { pattern: /^\/v1\/openapi\.json$/, route: () => ({ name: 'openapi' }) },
  { pattern: /^\/v1\/requests$/, route: () => ({ name: 'listRequests' }) },
  { pattern: /^\/v1\/requests\/(.+)$/, route: (id) => ({ name: 'getRequest', requestId: decodePathSegment('request id', id!) }) },
  { pattern: /^\/v1\/users$/, route: () => ({ name: 'listUsers' }) },
  { pattern: /^\/v1\/users\/(.+)\/usage$/, route: (id) => ({ name: 'userUsage', userId: decodePathSegment('user id', id!) }) },
  { pattern: /^\/v1\/sessions\/(.+)$/, route: (id) => ({ name: 'getSession', sessionId: decodePathSegment('session id', id!) }) },
];

// Every endpoint is a read; HEAD is left out because API Gateway does not strip bodies for it.
const ALLOWED_METHODS = ['GET'] as const;

/** Finds the endpoint for a method and path (a trailing `/` is ignored). */
export function matchQueryRoute(method: string, path: string): RouteMatch {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  for (const { pattern, route } of PATHS) {
    const match = pattern.exec(trimmed);
    if (!match) continue;
    if (!(ALLOWED_METHODS as readonly string[]).includes(method.toUpperCase())) {
      return { kind: 'method_not_allowed', allow: ALLOWED_METHODS };
    }
    return { kind: 'route', route: route(match[1]) };
  }
  return { kind: 'not_found' };
}
