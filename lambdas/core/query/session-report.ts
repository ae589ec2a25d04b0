import { requestSummaryJson, type RequestLogRecord, type RequestSummaryJson } from '../request-log/request-log-record.js';
import { addUsageSample, emptyUsageTotals, usageTotalsJson, type UsageTotals, type UsageTotalsJson } from './usage-totals.js';

/** Session totals: usage plus the wall-clock span from the first request's start to the last one's end. */
export interface SessionTotalsJson extends UsageTotalsJson {
  durationMs: number;
}

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

/** `GET /v1/sessions/{id}`. */
export interface SessionReport {
  sessionId: string;
  name: string | null;
  requests: RequestSummaryJson[];
  /** The root `/` holds requests sent without a `Session-Path`; every path hangs below it. */
  tree: SessionTreeNode;
  totals: SessionTotalsJson;
}

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
