import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionTreeNode } from '../../../lambdas/core/query/schemas/session-json-schemas.js';
import { buildSessionReport, pathSegments } from '../../../lambdas/core/query/session-report.js';
import { logRecord } from '../../support/request-log-records.js';

const t0 = Date.UTC(2025, 0, 1, 10);

// An agent run: plan, two chapters under outline, one request without a path, one failure.
const records = [
  logRecord({
    id: 'r4',
    createdAtMs: t0 + 4000,
    latencyMs: 500,
    sessionPath: '/plan/outline/chapter-2',
    costNanoUsd: 4_000,
    sessionName: 'Trip planner v2',
  }),
  logRecord({ id: 'r1', createdAtMs: t0, latencyMs: 1000, sessionPath: '/plan', costNanoUsd: 1_000, sessionName: 'Trip planner' }),
  logRecord({ id: 'r2', createdAtMs: t0 + 2000, latencyMs: 3000, sessionPath: '/plan/outline/chapter-1', costNanoUsd: 2_000 }),
  logRecord({
    id: 'r3',
    createdAtMs: t0 + 2500,
    latencyMs: 100,
    sessionPath: '/plan/outline/chapter-1',
    status: 500,
    costNanoUsd: null,
    promptTokens: null,
    completionTokens: null,
    totalTokens: null,
  }),
  logRecord({ id: 'r0', createdAtMs: t0 + 100, latencyMs: 50, sessionPath: null, costNanoUsd: 7 }),
  logRecord({
    id: 'r5',
    createdAtMs: t0 + 6000,
    latencyMs: 10,
    sessionPath: '/review',
    model: 'mystery',
    costNanoUsd: null,
    unpriced: true,
  }),
];

function find(node: SessionTreeNode, path: string): SessionTreeNode | undefined {
  if (node.path === path) return node;
  for (const child of node.children) {
    const found = find(child, path);
    if (found) return found;
  }
  return undefined;
}

describe('buildSessionReport', () => {
  const report = buildSessionReport('s1', records);

  it('lists the requests in chronological order', () => {
    assert.deepEqual(
      report.requests.map((request) => request.id),
      ['r1', 'r0', 'r2', 'r3', 'r4', 'r5'],
    );
    assert.equal(report.requests[0]!.createdAt, new Date(t0).toISOString());
  });

  it('names the session by the last name it was given', () => {
    assert.equal(report.name, 'Trip planner v2');
  });

  it('nests nodes by Session-Path, with intermediate nodes that had no request of their own', () => {
    const shape = (node: SessionTreeNode): unknown => ({
      path: node.path,
      name: node.name,
      requestIds: node.requestIds,
      children: node.children.map(shape),
    });
    assert.deepEqual(shape(report.tree), {
      path: '/',
      name: '',
      requestIds: ['r0'],
      children: [
        {
          path: '/plan',
          name: 'plan',
          requestIds: ['r1'],
          children: [
            {
              path: '/plan/outline',
              name: 'outline',
              requestIds: [],
              children: [
                { path: '/plan/outline/chapter-1', name: 'chapter-1', requestIds: ['r2', 'r3'], children: [] },
                { path: '/plan/outline/chapter-2', name: 'chapter-2', requestIds: ['r4'], children: [] },
              ],
            },
          ],
        },
        { path: '/review', name: 'review', requestIds: ['r5'], children: [] },
      ],
    });
  });

  it('gives every node a subtotal of itself and everything below it', () => {
    const outline = find(report.tree, '/plan/outline')!;
    assert.deepEqual(outline.subtotal, {
      requests: 3,
      errors: 1,
      promptTokens: 20,
      completionTokens: 10,
      cachedTokens: 0,
      totalTokens: 30,
      costUsd: 0.000006,
      unpricedRequests: 0,
      rateLimitedRequests: 0,
      durationMs: 3000, // r2 starts at +2000 and ends at +5000; r4 ends at +4500
    });
    assert.equal(find(report.tree, '/plan')!.subtotal.requests, 4);
    assert.equal(find(report.tree, '/review')!.subtotal.unpricedRequests, 1);
  });

  it('totals the whole session, duration from the first start to the last end', () => {
    assert.deepEqual(report.totals, {
      requests: 6,
      errors: 1,
      promptTokens: 50,
      completionTokens: 25,
      cachedTokens: 0,
      totalTokens: 75,
      costUsd: 0.000007007,
      unpricedRequests: 1,
      rateLimitedRequests: 0,
      durationMs: 6010,
    });
    assert.deepEqual(report.totals, report.tree.subtotal);
  });

  it('splits paths into segments, ignoring empty ones', () => {
    assert.deepEqual(pathSegments('/a/b/'), ['a', 'b']);
    assert.deepEqual(pathSegments('/'), []);
    assert.deepEqual(pathSegments(null), []);
  });
});
