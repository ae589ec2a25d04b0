import { createHash } from 'node:crypto';
import { MAX_PROPERTIES, MAX_PROPERTY_VALUE_LENGTH, PROPERTY_NAME_PATTERN } from '../headers/custom-properties.js';
import { invalidParameter } from './invalid-parameter.js';
import {
  checkedKeyValue,
  parseExplicitWindow,
  parseLimitParameter,
  parseQueryString,
  rejectUnknownParameters,
  singleParameter,
} from './query-parameters.js';

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
  explicitWindow: { fromMs: number | undefined; toMs: number | undefined };
  limit: number;
  cursor: string | undefined;
}

export const DEFAULT_REQUEST_LIST_LIMIT = 50;
export const MAX_REQUEST_LIST_LIMIT = 1000;

const PROPERTY_PREFIX = 'property.';
const MAX_TEXT_FILTER_LENGTH = 256;
const PLAIN_PARAMETERS = new Set(['userId', 'sessionId', 'model', 'provider', 'status', 'cacheHit', 'from', 'to', 'limit', 'cursor']);

/** Parses and validates the query string of `GET /v1/requests`; a 400 names the first bad parameter. */
export function parseRequestListQuery(rawQuery: string): RequestListQuery {
  const params = parseQueryString(rawQuery);
  rejectUnknownParameters(params, (name) => PLAIN_PARAMETERS.has(name) || name.toLowerCase().startsWith(PROPERTY_PREFIX));
  const text = (name: string) => {
    const value = singleParameter(params, name);
    if (value !== undefined && value.length > MAX_TEXT_FILTER_LENGTH) {
      throw invalidParameter(`${name} must be at most ${MAX_TEXT_FILTER_LENGTH} characters`);
    }
    return value;
  };
  const filters: RequestFilters = { properties: parsePropertyFilters(params) };
  const userId = text('userId');
  const sessionId = text('sessionId');
  const model = text('model');
  const provider = text('provider');
  const status = singleParameter(params, 'status');
  const cacheHit = singleParameter(params, 'cacheHit');
  if (userId !== undefined) filters.userId = checkedKeyValue('userId', userId);
  if (sessionId !== undefined) filters.sessionId = checkedKeyValue('sessionId', sessionId);
  if (model !== undefined) filters.model = model;
  if (provider !== undefined) filters.provider = provider;
  if (status !== undefined) filters.status = parseStatusFilter(status);
  if (cacheHit !== undefined) filters.cacheHit = parseBooleanParameter('cacheHit', cacheHit);
  return {
    filters,
    explicitWindow: parseExplicitWindow(params),
    limit: parseLimitParameter(params, DEFAULT_REQUEST_LIST_LIMIT, MAX_REQUEST_LIST_LIMIT),
    cursor: singleParameter(params, 'cursor'),
  };
}

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

function parseStatusFilter(raw: string): StatusFilter {
  if (raw === 'ok' || raw === 'error') return raw;
  if (/^[1-5]\d\d$/.test(raw)) return Number(raw);
  throw invalidParameter(`status must be "ok", "error" or an HTTP status code from 100 to 599, got "${raw}"`);
}

function parseBooleanParameter(name: string, raw: string): boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalidParameter(`${name} must be "true" or "false", got "${raw}"`);
}

function parsePropertyFilters(params: URLSearchParams): Record<string, string> {
  const properties: Record<string, string> = {};
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name) || !name.toLowerCase().startsWith(PROPERTY_PREFIX)) continue;
    seen.add(name);
    // Property names are stored lower-case because header names are case-insensitive.
    const property = name.slice(PROPERTY_PREFIX.length).toLowerCase();
    if (!PROPERTY_NAME_PATTERN.test(property)) {
      throw invalidParameter(`${name} has an invalid property name: use 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit`);
    }
    if (Object.hasOwn(properties, property)) throw invalidParameter(`${name} filters property "${property}" a second time`);
    const value = singleParameter(params, name)!;
    if (value.length > MAX_PROPERTY_VALUE_LENGTH) {
      throw invalidParameter(`${name} must be at most ${MAX_PROPERTY_VALUE_LENGTH} characters`);
    }
    properties[property] = value;
  }
  if (Object.keys(properties).length > MAX_PROPERTIES) {
    throw invalidParameter(`property.<name>: at most ${MAX_PROPERTIES} property filters, got ${Object.keys(properties).length}`);
  }
  return properties;
}
