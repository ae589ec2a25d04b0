import type { RequestLogRecord } from '../request-log/request-log-record.js';
import { requestSummaryJson } from './request-summary-json.js';
import type { SessionJson, SessionTreeNode } from './schemas/session-json-schemas.js';
import { addUsageSample, emptyUsageTotals, usageTotalsJson, type UsageTotals } from './usage-totals.js';

/** `GET /v1/sessions/{id}`, before the service says whether it is `truncated`. */
export type SessionReport = Omit<SessionJson, 'truncated'>;

interface NodeBuilder {
  path: string;
  name: string;
  requestIds: string[];
  children: Map<string, NodeBuilder>;
  totals: UsageTotals;
}

/**
 * Builds a session's report from its requests (any order): the requests chronologically, the tree
 * by `Session-Path`, and totals. A request counts in the subtotal of its node and every ancestor.
 */
export function buildSessionReport(sessionId: string, records: readonly RequestLogRecord[]): SessionReport {
  const chronological = [...records].sort((a, b) => a.createdAtMs - b.createdAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const root = newNode('/', '');
  for (const record of chronological) {
    let node = root;
    addUsageSample(node.totals, record);
    for (const segment of pathSegments(record.sessionPath)) {
      const path = node === root ? `/${segment}` : `${node.path}/${segment}`;
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = newNode(path, segment)));
      node = child;
      addUsageSample(node.totals, record);
    }
    node.requestIds.push(record.id);
  }
  const tree = finishNode(root);
  // The session's name is the one it was last given, as a rename applies from then on.
  const name = chronological.findLast((record) => record.sessionName !== null)?.sessionName ?? null;
  return { sessionId, name, requests: chronological.map(requestSummaryJson), tree, totals: tree.subtotal };
}

/** The segments of a `Session-Path` (`/a/b/` → `a`, `b`); none for a missing or root path. */
export function pathSegments(sessionPath: string | null): string[] {
  return (sessionPath ?? '').split('/').filter((segment) => segment !== '');
}

function newNode(path: string, name: string): NodeBuilder {
  return { path, name, requestIds: [], children: new Map(), totals: emptyUsageTotals() };
}

function finishNode(node: NodeBuilder): SessionTreeNode {
  const { totals } = node;
  return {
    path: node.path,
    name: node.name,
    requestIds: node.requestIds,
    children: [...node.children.values()].map(finishNode),
    subtotal: {
      ...usageTotalsJson(totals),
      durationMs: totals.firstStartMs === null ? 0 : totals.lastEndMs! - totals.firstStartMs,
    },
  };
}
