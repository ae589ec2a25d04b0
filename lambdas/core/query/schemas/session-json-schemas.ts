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
