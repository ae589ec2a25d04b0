import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { RequestListJson, RequestSummaryJson } from '../../../lambdas/core/query/schemas/request-json-schemas.js';
import { pathOf } from '../app/dashboard-location.js';
import { formatInstant, formatMs, formatTokens, formatUsd } from '../app/format.js';
import { navigate } from '../app/navigation.js';
import { ApiError } from '../app/query-api-client.js';
import {
  parsePropertyFilter,
  queryWithFilters,
  REQUEST_FILTER_NAMES,
  requestFiltersOf,
  requestListQuery,
  type RequestFilters,
} from '../app/request-filters.js';
import { AppLink } from '../components/app-link.js';
import { useDashboard } from '../components/dashboard-context.js';
import { EmptyNotice, ErrorNotice, LoadingNotice } from '../components/load-state.js';
import { RangePicker } from '../components/range-picker.js';
import { useRangeInUrl } from '../components/range-state.js';
import { StatusBadge } from '../components/status-badge.js';
import { RequestDetailPanel } from './request-detail-panel.js';

const PAGE_SIZE = 50;

type Listing =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ok'; requests: RequestSummaryJson[]; nextCursor: string | null; more: boolean };

/** `/dashboard/requests?<the query /v1/requests takes>`, and `/dashboard/requests/<id>` with its detail beside. */
export function RequestsView({ requestId }: { requestId: string | null }) {
  const { api, base, query } = useDashboard();
  const [range, setRange] = useRangeInUrl();
  const [listing, setListing] = useState<Listing>({ status: 'loading' });
  const listKey = queryWithFilters(query, requestFiltersOf(query)).toString();
  const load = (cursor: string | null, previous: RequestSummaryJson[]) => {
    let current = true;
    setListing(cursor ? { status: 'ok', requests: previous, nextCursor: cursor, more: true } : { status: 'loading' });
    api.get<RequestListJson>('/requests', requestListQuery(query, Date.now(), PAGE_SIZE, cursor)).then(
      (page) =>
        current && setListing({ status: 'ok', requests: [...previous, ...page.requests], nextCursor: page.nextCursor, more: false }),
      (error: ApiError) => current && setListing({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
  };
  useEffect(() => load(null, []), [listKey]);
  const openPath = (id: string) => `${pathOf(base, 'requests', id)}${listKey ? `?${listKey}` : ''}`;
  const listPath = `${pathOf(base, 'requests')}${listKey ? `?${listKey}` : ''}`;
  return html`<section class=${requestId ? 'with-detail' : ''}>
    <div class="view-header">
      <h1>Requests</h1>
      <${RangePicker} range=${range} onChange=${setRange} />
    </div>
    <${RequestFilterForm} filters=${requestFiltersOf(query)} onApply=${(filters: RequestFilters) => navigate(`${pathOf(base, 'requests')}?${queryWithFilters(query, filters)}`)} />
    <div class="split-pane">
      <div class="table-pane">
        ${
          listing.status === 'loading'
            ? html`<${LoadingNotice} what="requests" />`
            : listing.status === 'error'
              ? html`<${ErrorNotice} error=${listing.error} retry=${() => load(null, [])} />`
              : listing.requests.length === 0
                ? html`<${EmptyNotice}>No requests match these filters in this range.<//>`
                : html`<${RequestTable} requests=${listing.requests} selected=${requestId} openPath=${openPath} />
                  ${
                    listing.nextCursor
                      ? html`<button type="button" class="load-more" disabled=${listing.more} onClick=${() => load(listing.nextCursor, listing.requests)}>
                        ${listing.more ? 'Loading…' : 'Load more'}
                      </button>`
                      : html`<p class="table-end">${listing.requests.length} request${listing.requests.length === 1 ? '' : 's'}</p>`
                  }`
        }
      </div>
      ${requestId ? html`<${RequestDetailPanel} requestId=${requestId} closePath=${listPath} />` : null}
    </div>
  </section>`;
}

function RequestFilterForm({ filters, onApply }: { filters: RequestFilters; onApply: (filters: RequestFilters) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const fixed: RequestFilters['fixed'] = {};
    for (const name of REQUEST_FILTER_NAMES) {
      const value = String(form.get(name) ?? '').trim();
      if (value) fixed[name] = value;
    }
    const properties: Record<string, string> = {};
    for (const text of String(form.get('properties') ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const pair = parsePropertyFilter(text);
      if (!pair) return setProblem(`A property filter is name=value, got "${text}".`);
      properties[pair[0]] = pair[1];
    }
    setProblem(null);
    onApply({ fixed, properties });
  };
  const properties = Object.entries(filters.properties)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  // Keyed by the filters, so the fields show the URL's filters after back and forward.
  return html`<form class="filters" onSubmit=${submit} key=${JSON.stringify(filters)}>
    <label>User <input name="userId" value=${filters.fixed.userId ?? ''} placeholder="user id" /></label>
    <label>Model <input name="model" value=${filters.fixed.model ?? ''} placeholder="gpt-4o-mini" /></label>
    <label>Provider <input name="provider" value=${filters.fixed.provider ?? ''} placeholder="openai" /></label>
    <label>Status
      <select name="status" value=${filters.fixed.status ?? ''}>
        <option value="">any</option><option value="ok">ok</option><option value="error">error</option><option value="429">429</option>
        ${filters.fixed.status && !['ok', 'error', '429'].includes(filters.fixed.status) ? html`<option value=${filters.fixed.status}>${filters.fixed.status}</option>` : null}
      </select>
    </label>
    <label>Cache
      <select name="cacheHit" value=${filters.fixed.cacheHit ?? ''}><option value="">any</option><option value="true">hit</option><option value="false">not a hit</option></select>
    </label>
    <label>Session <input name="sessionId" value=${filters.fixed.sessionId ?? ''} placeholder="session id" /></label>
    <label class="wide">Properties <input name="properties" value=${properties} placeholder="environment=production, feature=chat" /></label>
    <button type="submit">Filter</button>
    ${problem ? html`<span class="field-problem" role="alert">${problem}</span>` : null}
  </form>`;
}

function RequestTable({
  requests,
  selected,
  openPath,
}: {
  requests: RequestSummaryJson[];
  selected: string | null;
  openPath: (id: string) => string;
}) {
  return html`<div class="table-scroll"><table class="requests">
    <thead><tr><th>Time</th><th>Status</th><th>Model</th><th>User</th><th class="number">Cost</th><th class="number">Tokens</th><th class="number">Latency</th><th class="number">TTFT</th><th>Cache</th><th>Properties</th></tr></thead>
    <tbody>
      ${requests.map(
        (request) => html`<tr data-request-id=${request.id} class=${request.id === selected ? 'selected' : ''} onClick=${(
          event: MouseEvent,
        ) => {
          if ((event.target as HTMLElement).closest('a')) return;
          navigate(openPath(request.id));
        }}>
          <td><${AppLink} href=${openPath(request.id)}>${formatInstant(request.createdAt)}<//></td>
          <td><${StatusBadge} request=${request} /></td>
          <td>${request.model ?? '—'}${request.stream ? html` <span class="tag">stream</span>` : null}</td>
          <td>${request.userId ?? '—'}</td>
          <td class="number">${request.unpriced ? html`<span class="tag warn" title="The model has no known price">unpriced</span>` : formatUsd(request.costUsd)}</td>
          <td class="number">${formatTokens(request.totalTokens)}</td>
          <td class="number">${formatMs(request.latencyMs)}</td>
          <td class="number">${formatMs(request.ttftMs)}</td>
          <td>${request.cacheStatus ?? '—'}</td>
          <td class="properties">${Object.entries(request.properties).map(([name, value]) => html`<span class="tag">${name}=${value}</span>`)}</td>
        </tr>`,
      )}
    </tbody>
  </table></div>`;
}
