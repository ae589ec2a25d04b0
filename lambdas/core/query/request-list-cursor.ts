import * as z from 'zod';
import type { RequestLogPosition } from '../ports/request-log-reads.js';
import { invalidParameter } from './invalid-parameter.js';
import type { TimeWindow } from './time-window.js';

/** What a `nextCursor` carries: the list it continues, its resolved window, and where the next page starts. */
export interface RequestListCursor {
  fingerprint: string;
  /** The window of the first page, so later pages neither gain new items nor lose old ones at the edges. */
  window: TimeWindow;
  position: RequestLogPosition;
}

// Version 1 carried DynamoDB keys; a version-1 cursor is refused like any other foreign one.
const CURSOR_VERSION = 2;
const MAX_CURSOR_LENGTH = 4096;
/** Lookout's request ids are at most 256 characters; the bound keeps a forged one within DynamoDB's key size. */
const MAX_ID_BYTES = 1024;

/**
 * The JSON inside a cursor. Cursors come back from clients, so everything a store will be asked
 * for is checked here: the position must lie inside the window, or DynamoDB refuses the start key
 * with a 500 where the client deserves a 400.
 */
const cursorJsonSchema = z
  .strictObject({
    v: z.literal(CURSOR_VERSION),
    f: z.string(),
    w: z.tuple([z.int(), z.int()]),
    p: z.tuple([
      z.int(),
      z
        .string()
        .min(1)
        .refine((id) => Buffer.byteLength(id, 'utf8') <= MAX_ID_BYTES)
        .nullable(),
    ]),
  })
  .refine(({ w: [fromMs, toMs] }) => fromMs < toMs)
  .refine(({ w: [fromMs, toMs], p: [createdAtMs, afterId] }) =>
    afterId === null ? fromMs < createdAtMs && createdAtMs <= toMs : fromMs <= createdAtMs && createdAtMs < toMs,
  );

/** Encodes a cursor as opaque base64url JSON. */
export function encodeRequestListCursor(cursor: RequestListCursor): string {
  const { fingerprint, window, position } = cursor;
  const json: z.input<typeof cursorJsonSchema> = {
    v: CURSOR_VERSION,
    f: fingerprint,
    w: [window.fromMs, window.toMs],
    p: [position.createdAtMs, position.afterId],
  };
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor from `?cursor=`, checking that it was issued for the same filters (its
 * fingerprint) and that its position lies in its window; anything else is a 400 naming `cursor`.
 */
export function decodeRequestListCursor(raw: string, expectedFingerprint: string): RequestListCursor {
  const invalid = () => invalidParameter('cursor is not a cursor returned by this endpoint (pass nextCursor back unchanged)');
  if (raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) throw invalid();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = cursorJsonSchema.safeParse(json);
  if (!parsed.success) throw invalid();
  const {
    f,
    w: [fromMs, toMs],
    p: [createdAtMs, afterId],
  } = parsed.data;
  if (f !== expectedFingerprint) {
    throw invalidParameter(
      'cursor belongs to a list with other filters or another time range: repeat the same parameters, changing only limit',
    );
  }
  return { fingerprint: f, window: { fromMs, toMs }, position: { createdAtMs, afterId } };
}
