import * as z from 'zod';
import { requestSummarySchema } from './request-json-schemas.js';
import { usageTotalsSchema } from './usage-json-schemas.js';

/** Session totals: usage plus the wall-clock span from the first request's start to the last one's end. */
const sessionTotalsSchema = usageTotalsSchema
  .extend({ durationMs: z.int().meta({ description: "First request's start to last request's end." }) })
  .meta({ id: 'SessionTotals' });
export type SessionTotalsJson = z.output<typeof sessionTotalsSchema>;

/** A node of the session tree: one `Session-Path` prefix, e.g. `/plan/outline`. */
export interface SessionTreeNode {
  path: string;
  /** The last segment of the path (`outline`); empty for the root `/`. */
  name: string;
  /** Requests logged at exactly this path, in chronological order. */
  requestIds: string[];
  /** Sub-paths, in the order their first request was made. */
  children: SessionTreeNode[];
  /** This node and everything below it. */
  subtotal: SessionTotalsJson;
}

// A tree refers to itself, so its type is written out above and the schema checked against it.
const sessionTreeNodeSchema: z.ZodType<SessionTreeNode> = z
  .object({
    path: z.string().meta({ examples: ['/', '/plan', '/plan/outline'] }),
    name: z.string().meta({ description: 'The last path segment; empty for the root.' }),
    requestIds: z.array(z.string()).meta({ description: 'Requests logged at exactly this path, in order.' }),
    get children() {
      return z.array(sessionTreeNodeSchema);
    },
    subtotal: sessionTotalsSchema,
  })
  .meta({ id: 'SessionTreeNode' });

/** `GET /v1/sessions/{id}`. */
export const sessionSchema = z
  .object({
    sessionId: z.string(),
    name: z.string().nullable().meta({ description: 'The latest Session-Name sent.' }),
    requests: z.array(requestSummarySchema).meta({ description: 'Chronological.' }),
    // Root "/" holds the requests sent without a Session-Path (no description here: it would copy the node schema instead of referring to it).
    tree: sessionTreeNodeSchema,
    totals: sessionTotalsSchema,
    truncated: z
      .boolean()
      .meta({ description: 'True when the session has more requests than one response holds; everything covers the earliest ones.' }),
  })
  .meta({ id: 'Session' });
export type SessionJson = z.output<typeof sessionSchema>;

// The list reads a bounded number of requests, so its counts cover only those (GET /v1/sessions/{id} reads a whole session).
const READ_ONLY_NOTE =
  'counted over the requests of the range this list read: exact when complete, else possibly low; GET /v1/sessions/{id} has exact totals';

/** One row of `GET /v1/sessions`: a session's counts over the requests the list read. */
const sessionListRowSchema = z
  .object({
    sessionId: z.string(),
    name: z.string().nullable().meta({ description: 'The latest Session-Name among the requests read; null when none had one.' }),
    requests: z.int().meta({ description: `The session's requests, ${READ_ONLY_NOTE}.` }),
    errors: z.int().meta({ description: `Requests that did not end in a completed 2xx/3xx, ${READ_ONLY_NOTE}.` }),
    costUsd: z.number().meta({ description: `Cost of the priced requests (unpriced ones are not in it), ${READ_ONLY_NOTE}.` }),
    unpricedRequests: z.int().meta({ description: `Requests whose model has no known price, ${READ_ONLY_NOTE}.` }),
    firstAt: z.iso.datetime().meta({
      description:
        'The start of the earliest request read; the session may have begun before from, or, when not complete, before the last request read.',
    }),
    lastAt: z.iso.datetime().meta({ description: "The start of the session's latest request in the range." }),
    userIds: z.array(z.string()).meta({ description: 'Distinct user ids of the requests read, the most recent first; at most 5.' }),
  })
  .meta({ id: 'SessionListRow' });
export type SessionListRow = z.output<typeof sessionListRowSchema>;

/** `GET /v1/sessions`. */
export const sessionListSchema = z
  .object({
    sessions: z.array(sessionListRowSchema).meta({ description: 'Newest lastAt first.' }),
    complete: z.boolean().meta({
      description:
        'True when every request of the range was read: the list and its counts are exact. False when the read bound ended ' +
        'first: older sessions may be missing, and the counts of those listed may leave out their older requests.',
    }),
    from: z.iso.datetime().meta({ description: 'The start of the range (from, or the start of the retention period).' }),
    to: z.iso.datetime().meta({ description: 'The end of the range (to, or now).' }),
  })
  .meta({ id: 'SessionList' });
export type SessionListJson = z.output<typeof sessionListSchema>;
