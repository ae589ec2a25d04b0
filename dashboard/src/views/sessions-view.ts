import { html } from 'htm/preact';
import type { RequestSummaryJson } from '../../../lambdas/core/query/schemas/request-json-schemas.js';
import type { SessionJson, SessionTreeNode } from '../../../lambdas/core/query/schemas/session-json-schemas.js';
import { pathOf } from '../app/dashboard-location.js';
import { formatCount, formatInstant, formatMs, formatTokens, formatUsd } from '../app/format.js';
import { rangeParameters } from '../app/time-range.js';
import { AppLink } from '../components/app-link.js';
import { useDashboard } from '../components/dashboard-context.js';
import { EmptyNotice, useLoaded, VIEW_REFRESH_MS, WhenLoaded } from '../components/load-state.js';
import { RangePicker } from '../components/range-picker.js';
import { useRangeInUrl } from '../components/range-state.js';
import { StatusBadge } from '../components/status-badge.js';

/** `GET /v1/sessions`: recent sessions, counted over the requests the listing read. */
interface SessionListItem {
  sessionId: string;
  name: string | null;
  requests: number;
  errors: number;
  costUsd: number;
  unpricedRequests: number;
  firstAt: string;
  lastAt: string;
  userIds: string[];
}
interface SessionList {
  sessions: SessionListItem[];
  complete: boolean;
}

export function SessionsView({ sessionId }: { sessionId: string | null }) {
  return sessionId ? html`<${SessionDetail} sessionId=${sessionId} />` : html`<${SessionListView} />`;
}

function SessionListView() {
  const { api, base } = useDashboard();
  const [range, setRange] = useRangeInUrl();
  const [list, reload] = useLoaded(
    () => api.get<SessionList>('/sessions', { ...rangeParameters(range, Date.now()), limit: 50 }),
    [JSON.stringify(range)],
    { refreshMs: VIEW_REFRESH_MS },
  );
  return html`<section>
    <div class="view-header">
      <h1>Sessions</h1>
      <${RangePicker} range=${range} onChange=${setRange} />
    </div>
    <${WhenLoaded}
      state=${list}
      what="sessions"
      retry=${reload}
      render=${(loaded: SessionList) =>
        loaded.sessions.length === 0
          ? html`<${EmptyNotice}>No sessions in this range. Send <code>Lookout-Session-Id</code> (and <code>Lookout-Session-Path</code>) with each step.<//>`
          : html`${loaded.complete ? null : html`<p class="notice">The most recent sessions; older ones, and the oldest requests of these, may be past what one listing reads. A session's own page has its exact totals.</p>`}
              <div class="table-scroll"><table class="sessions">
                <thead><tr><th>Session</th><th>Users</th><th class="number">Requests</th><th class="number">Errors</th><th class="number">Cost</th><th>First</th><th>Last</th></tr></thead>
                <tbody>${loaded.sessions.map(
                  (session) => html`<tr data-session-id=${session.sessionId}>
                    <td><${AppLink} href=${pathOf(base, 'sessions', session.sessionId)}>${session.name ?? session.sessionId}<//>${session.name ? html` <code class="muted">${session.sessionId}</code>` : null}</td>
                    <td>${session.userIds.join(', ') || '—'}</td>
                    <td class="number">${formatCount(session.requests)}</td>
                    <td class="number">${formatCount(session.errors)}</td>
                    <td class="number">${formatUsd(session.costUsd)}</td>
                    <td>${formatInstant(session.firstAt)}</td>
                    <td>${formatInstant(session.lastAt)}</td>
                  </tr>`,
                )}</tbody>
              </table></div>`}
    />
  </section>`;
}

function SessionDetail({ sessionId }: { sessionId: string }) {
  const { api, base } = useDashboard();
  const [session, reload] = useLoaded(() => api.get<SessionJson>(`/sessions/${encodeURIComponent(sessionId)}`), [sessionId]);
  return html`<section>
    <div class="view-header">
      <h1>Session <code>${sessionId}</code></h1>
      <${AppLink} href=${pathOf(base, 'sessions')}>All sessions<//>
      <${AppLink} href=${`${pathOf(base, 'requests')}?sessionId=${encodeURIComponent(sessionId)}`}>Its requests<//>
    </div>
    <${WhenLoaded}
      state=${session}
      what="the session"
      retry=${reload}
      render=${(loaded: SessionJson) => {
        const byId = new Map(loaded.requests.map((request) => [request.id, request]));
        return html`${loaded.name ? html`<p class="session-name">${loaded.name}</p>` : null}
          <div class="totals" aria-label="Session totals">
            <${Total} label="Requests" value=${formatCount(loaded.totals.requests)} name="requests" />
            <${Total} label="Errors" value=${formatCount(loaded.totals.errors)} name="errors" />
            <${Total} label="Cost" value=${formatUsd(loaded.totals.costUsd)} name="cost" />
            <${Total} label="Tokens" value=${formatTokens(loaded.totals.totalTokens)} name="tokens" />
            <${Total} label="Duration" value=${formatMs(loaded.totals.durationMs)} name="duration" />
            ${loaded.totals.unpricedRequests > 0 ? html`<${Total} label="Unpriced" value=${formatCount(loaded.totals.unpricedRequests)} name="unpriced" />` : null}
          </div>
          ${loaded.truncated ? html`<p class="notice">This session has more requests than one answer holds; the tree covers the earliest.</p>` : null}
          <ol class="session-tree" role="tree">${html`<${TreeNode} node=${loaded.tree} requests=${byId} depth=${0} />`}</ol>`;
      }}
    />
  </section>`;
}

function Total({ label, value, name }: { label: string; value: string; name: string }) {
  return html`<div class="total"><span class="total-label">${label}</span><span class="total-value" data-session-total=${name}>${value}</span></div>`;
}

function TreeNode({ node, requests, depth }: { node: SessionTreeNode; requests: Map<string, RequestSummaryJson>; depth: number }) {
  const { base } = useDashboard();
  return html`<li role="treeitem" aria-expanded="true" data-session-path=${node.path} style=${`--depth:${depth}`}>
    <div class="tree-node">
      <span class="tree-name">${node.path === '/' ? '/' : node.name}</span>
      <span class="tree-path muted">${node.path}</span>
      <span class="tree-figures">${formatCount(node.subtotal.requests)} req · ${formatUsd(node.subtotal.costUsd)} · ${formatMs(node.subtotal.durationMs)}${node.subtotal.errors > 0 ? html` · <span class="status bad">${node.subtotal.errors} failed</span>` : null}</span>
    </div>
    ${
      node.requestIds.length > 0
        ? html`<ul class="tree-requests">${node.requestIds.map((id) => {
            const request = requests.get(id);
            return html`<li data-request-id=${id}>
            <${AppLink} href=${pathOf(base, 'requests', id)}>${request ? formatInstant(request.createdAt) : id}<//>
            ${request ? html`<${StatusBadge} request=${request} /> <span>${request.model ?? '—'}</span> <span>${request.unpriced ? 'unpriced' : formatUsd(request.costUsd)}</span> <span>${formatMs(request.latencyMs)}</span>` : null}
          </li>`;
          })}</ul>`
        : null
    }
    ${node.children.length > 0 ? html`<ol role="group">${node.children.map((child) => html`<${TreeNode} node=${child} requests=${requests} depth=${depth + 1} />`)}</ol>` : null}
  </li>`;
}
