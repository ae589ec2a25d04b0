import { invalidParameter, type TimeWindow } from './query-parameters.js';
import { utcDay } from '../request-log/request-log-record.js';
import { daysNewestFirst, INDEX_SORT_ATTRIBUTE, isPositionKeyIn, isUtcDay, type IndexPositionKey, type RequestListPlan } from './request-log-index.js';

/** Where the next page of a request list starts. */
export interface RequestListPosition {
  /** The `byDay` partition being read; null for the other indexes. */
  day: string | null;
  /** Resume after this item; null to start at the newest item of `day`. */
  startKey: IndexPositionKey | null;
}

/** What a `nextCursor` carries: the list it continues, its resolved window, and the position. */
export interface RequestListCursor {
  fingerprint: string;
  /** The window of the first page, so later pages neither gain new items nor lose old ones at the edges. */
  window: TimeWindow;
  position: RequestListPosition;
}

const CURSOR_VERSION = 1;
const MAX_CURSOR_LENGTH = 4096;

/** Encodes a cursor as opaque base64url JSON. */
export function encodeRequestListCursor(cursor: RequestListCursor): string {
  const { fingerprint, window, position } = cursor;
  return Buffer.from(
    JSON.stringify({ v: CURSOR_VERSION, f: fingerprint, w: [window.fromMs, window.toMs], d: position.day, k: position.startKey }),
    'utf8',
  ).toString('base64url');
}

/**
 * Decodes a cursor from `?cursor=`, checking that it was issued for the same filters and that its
 * position belongs to the partition the filters select; anything else is a 400 naming `cursor`.
 */
export function decodeRequestListCursor(raw: string, expected: { fingerprint: string; plan: RequestListPlan }): RequestListCursor {
  const invalid = () => invalidParameter('cursor is not a cursor returned by this endpoint (pass nextCursor back unchanged)');
  if (raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { v, f, w, d, k } = parsed as Record<string, unknown>;
  if (v !== CURSOR_VERSION || typeof f !== 'string' || !Array.isArray(w) || w.length !== 2) throw invalid();
  if (f !== expected.fingerprint) {
    throw invalidParameter('cursor belongs to a list with other filters or another time range: repeat the same parameters, changing only limit');
  }
  const [fromMs, toMs] = w as unknown[];
  if (!Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs) || (fromMs as number) >= (toMs as number)) throw invalid();
  const window = { fromMs: fromMs as number, toMs: toMs as number };

  // DynamoDB rejects a start key outside the key condition with a ValidationException (a 500).
  const insideWindow = (key: IndexPositionKey) =>
    (key[INDEX_SORT_ATTRIBUTE] as number) >= window.fromMs && (key[INDEX_SORT_ATTRIBUTE] as number) < window.toMs;
  const { plan } = expected;
  if (plan.index === 'byDay') {
    if (!isUtcDay(d) || !daysNewestFirst(window).includes(d)) throw invalid();
    if (k === null) return { fingerprint: f, window, position: { day: d, startKey: null } };
    if (!isPositionKeyIn('byDay', d, k) || !insideWindow(k) || utcDay(k[INDEX_SORT_ATTRIBUTE] as number) !== d) throw invalid();
    return { fingerprint: f, window, position: { day: d, startKey: k } };
  }
  if (d !== null || !isPositionKeyIn(plan.index, plan.partition!, k) || !insideWindow(k)) throw invalid();
  return { fingerprint: f, window, position: { day: null, startKey: k } };
}
