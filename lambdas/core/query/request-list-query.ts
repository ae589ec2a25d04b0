import { createHash } from 'node:crypto';
import type { ExplicitWindow } from './time-window.js';

/** `status=`: `ok` (2xx/3xx that completed), `error` (everything else) or one HTTP status code. */
export type StatusFilter = 'ok' | 'error' | number;

/** What `GET /v1/requests` narrows the log to; absent members do not filter. */
export interface RequestFilters {
  userId?: string;
  sessionId?: string;
  model?: string;
  provider?: string;
  status?: StatusFilter;
  cacheHit?: boolean;
  /** `property.<name>=<value>`, names lower-cased as the gateway stores them. */
  properties: Readonly<Record<string, string>>;
}

/** A parsed `GET /v1/requests` call. */
export interface RequestListQuery {
  filters: RequestFilters;
  /** `from` / `to` as given; defaults are applied once, on the first page, and carried by the cursor. */
  explicitWindow: ExplicitWindow;
  limit: number;
  cursor: string | undefined;
}

export const DEFAULT_REQUEST_LIST_LIMIT = 50;
export const MAX_REQUEST_LIST_LIMIT = 1000;

/**
 * A short digest of the filters and explicit time range, carried in cursors: a cursor continues
 * one result list, and applied to other filters it would silently skip or repeat items.
 */
export function requestListFingerprint(query: Pick<RequestListQuery, 'filters' | 'explicitWindow'>): string {
  const { filters, explicitWindow } = query;
  const canonical = JSON.stringify([
    filters.userId ?? null,
    filters.sessionId ?? null,
    filters.model ?? null,
    filters.provider ?? null,
    filters.status ?? null,
    filters.cacheHit ?? null,
    Object.entries(filters.properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    explicitWindow.fromMs ?? null,
    explicitWindow.toMs ?? null,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('base64url').slice(0, 16);
}
