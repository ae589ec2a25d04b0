import { html } from 'htm/preact';
import type { UserRanking, UserRankingRow } from '../../../lambdas/core/query/schemas/usage-json-schemas.js';
import { pathOf } from '../app/dashboard-location.js';
import { formatCount, formatInstant, formatTokens, formatUsd } from '../app/format.js';
import { rangeParameters } from '../app/time-range.js';
import { AppLink } from '../components/app-link.js';
import { useDashboard } from '../components/dashboard-context.js';
import { EmptyNotice, useLoaded, WhenLoaded, VIEW_REFRESH_MS } from '../components/load-state.js';
import { RangePicker } from '../components/range-picker.js';
import { setQueryParameter, useRangeInUrl } from '../components/range-state.js';

const ORDERS = [
  { id: 'cost', label: 'cost' },
  { id: 'requests', label: 'requests' },
  { id: 'errors', label: 'errors' },
] as const;

const TOP_USERS = 50;

/** The guide's user insights: top users by cost, requests or errors, their quota use, and who to look at. */
export function UsersView() {
  const { api, base, query } = useDashboard();
  const [range, setRange] = useRangeInUrl();
  const orderBy = ORDERS.find((order) => order.id === query.get('orderBy'))?.id ?? 'cost';
  const [ranking, reload] = useLoaded(
    () => api.get<UserRanking>('/users', { ...rangeParameters(range, Date.now()), orderBy, limit: TOP_USERS }),
    [JSON.stringify(range), orderBy],
    { refreshMs: VIEW_REFRESH_MS },
  );
  const requestsOf = (userId: string) => `${pathOf(base, 'requests')}?userId=${encodeURIComponent(userId)}`;
  return html`<section>
    <div class="view-header">
      <h1>Users</h1>
      <${RangePicker} range=${range} onChange=${setRange} />
      <label>Top by
        <select value=${orderBy} onChange=${(e: Event) => setQueryParameter(query, 'orderBy', (e.target as HTMLSelectElement).value)}>
          ${ORDERS.map((order) => html`<option value=${order.id}>${order.label}</option>`)}
        </select>
      </label>
    </div>
    <${WhenLoaded}
      state=${ranking}
      what="users"
      retry=${reload}
      render=${(loaded: UserRanking) =>
        loaded.users.length === 0
          ? html`<${EmptyNotice}>No requests with a user id in this range. Send <code>Lookout-User-Id</code> with each request.<//>`
          : html`<div class="table-scroll"><table class="users">
              <thead><tr><th>User</th><th class="number">Requests</th><th class="number">Errors</th><th class="number">Cost</th><th class="number">Tokens</th><th class="number">Rate limited</th><th>Quota use now</th><th>Flags</th><th>Last seen</th></tr></thead>
              <tbody>${loaded.users.map((user) => html`<${UserRow} user=${user} requestsHref=${requestsOf(user.userId)} />`)}</tbody>
            </table></div>`}
    />
  </section>`;
}

function UserRow({ user, requestsHref }: { user: UserRankingRow; requestsHref: string }) {
  return html`<tr data-user-id=${user.userId} class=${user.flagged ? 'flagged' : ''}>
    <td><${AppLink} href=${requestsHref}>${user.userId}<//></td>
    <td class="number">${formatCount(user.requests)}</td>
    <td class="number">${formatCount(user.errors)}</td>
    <td class="number">${formatUsd(user.costUsd)}${user.unpricedRequests > 0 ? html` <span class="tag warn">+${user.unpricedRequests} unpriced</span>` : null}</td>
    <td class="number">${formatTokens(user.totalTokens)}</td>
    <td class="number">${formatCount(user.rateLimitedRequests)}</td>
    <td>${user.quotas.length === 0 ? '—' : user.quotas.map((use) => html`<${QuotaBar} use=${use} />`)}</td>
    <td>
      ${user.overQuota ? html`<span class="tag bad" data-flag="over-quota">over quota</span>` : null}
      ${user.rateLimitedRequests > 0 ? html`<span class="tag warn" data-flag="rate-limited">rate limited</span>` : null}
      ${!user.overQuota && user.rateLimitedRequests === 0 ? '—' : null}
    </td>
    <td>${formatInstant(user.lastSeenAt)}</td>
  </tr>`;
}

function QuotaBar({ use }: { use: UserRankingRow['quotas'][number] }) {
  const share = use.limit > 0 ? Math.min(1, (use.used + use.reserved) / use.limit) : 1;
  const amount = (value: number) => (use.quota.unit === 'usd' ? formatUsd(value) : formatCount(value));
  return html`<div class="quota" title=${`${use.quota.name}: ${amount(use.used)} used, ${amount(use.reserved)} reserved of ${amount(use.limit)} per ${use.quota.windowSeconds} s`}>
    <span class="quota-name">${use.quota.name}</span>
    <span class="bar"><span class=${share >= 1 ? 'full' : ''} style=${`width:${(share * 100).toFixed(1)}%`}></span></span>
    <span class="quota-figures">${amount(use.used)} / ${amount(use.limit)}</span>
  </div>`;
}
