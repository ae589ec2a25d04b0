/**
 * The requests page's filters are the query `GET /v1/requests` takes, kept in the page's URL, so
 * an alert's link (`/dashboard/requests?userId=...&status=error&from=...&to=...`) opens exactly
 * the requests it names. `range` (a preset window) is the one parameter of the page's own: it is
 * turned into `from` and `to` when the API is asked.
 */
import { rangeFromQuery, rangeParameters } from './time-range.js';

/** The fixed filters, in the order the form shows them. */
export const REQUEST_FILTER_NAMES = ['userId', 'sessionId', 'model', 'provider', 'status', 'cacheHit'] as const;

export type RequestFilterName = (typeof REQUEST_FILTER_NAMES)[number];

export interface RequestFilters {
  fixed: Partial<Record<RequestFilterName, string>>;
  /** `property.<name>` filters by name. */
  properties: Record<string, string>;
}

export function requestFiltersOf(query: URLSearchParams): RequestFilters {
  const fixed: RequestFilters['fixed'] = {};
  const properties: Record<string, string> = {};
  for (const name of REQUEST_FILTER_NAMES) {
    const value = query.get(name);
    if (value !== null && value !== '') fixed[name] = value;
  }
  for (const [name, value] of query) if (name.startsWith('property.') && value !== '') properties[name.slice('property.'.length)] = value;
  return { fixed, properties };
}

/** The page's query for `filters`, keeping its range. */
export function queryWithFilters(query: URLSearchParams, filters: RequestFilters): URLSearchParams {
  const next = new URLSearchParams();
  for (const name of ['range', 'from', 'to']) {
    const value = query.get(name);
    if (value !== null) next.set(name, value);
  }
  for (const [name, value] of Object.entries(filters.fixed)) if (value) next.set(name, value);
  for (const [name, value] of Object.entries(filters.properties)) if (name && value) next.set(`property.${name}`, value);
  return next;
}

/** What `GET /v1/requests` is asked for the page's query at `nowMs`. */
export function requestListQuery(query: URLSearchParams, nowMs: number, limit: number, cursor: string | null): URLSearchParams {
  const api = queryWithFilters(new URLSearchParams(), requestFiltersOf(query));
  const span = rangeParameters(rangeFromQuery(query), nowMs);
  api.set('from', span.from);
  api.set('to', span.to);
  api.set('limit', String(limit));
  if (cursor) api.set('cursor', cursor);
  return api;
}

/** `name=value` as the property filter field takes it; null when it is not that shape. */
export function parsePropertyFilter(text: string): [string, string] | null {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) return null;
  return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
}
