import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { alertRequestsQuery } from '../../../lambdas/core/alerts/alert-requests-link.js';
import type {
  AlertHistoryEntryJson,
  AlertRuleDetailJson,
  AlertRuleWithStateJson,
  AlertTestResultJson,
} from '../../../lambdas/core/query/schemas/alert-json-schemas.js';
import { pathOf } from '../app/dashboard-location.js';
import { METRIC_UNITS, type MetricUnit } from '../../../lambdas/contract/metric-names.js';
import { formatByUnit, formatInstant } from '../app/format.js';
import { ApiError } from '../app/query-api-client.js';
import { AppLink } from '../components/app-link.js';
import { useDashboard } from '../components/dashboard-context.js';
import { EmptyNotice, ErrorNotice, useLoaded, WhenLoaded, VIEW_REFRESH_MS } from '../components/load-state.js';

const HISTORY_LINES = 100;

export function AlertsView({ alertId }: { alertId: string | null }) {
  const { api, base } = useDashboard();
  const [list, reload] = useLoaded(() => api.get<{ alerts: AlertRuleWithStateJson[] }>('/alerts'), [], { refreshMs: VIEW_REFRESH_MS });
  return html`<section class=${alertId ? 'with-detail' : ''}>
    <div class="view-header"><h1>Alerts</h1><button type="button" onClick=${reload}>Refresh</button></div>
    <div class="split-pane">
      <div class="table-pane">
        <${WhenLoaded}
          state=${list}
          what="alert rules"
          retry=${reload}
          render=${(loaded: { alerts: AlertRuleWithStateJson[] }) =>
            loaded.alerts.length === 0
              ? html`<${EmptyNotice}>No alert rules yet. Add them to <code>alerts</code> in <code>lookout.config.ts</code>, or <code>POST /v1/alerts</code>.<//>`
              : html`<div class="table-scroll"><table class="alerts">
                  <thead><tr><th>Rule</th><th>State</th><th>Watches</th><th class="number">Value</th><th>Since</th><th>Severity</th><th>Source</th></tr></thead>
                  <tbody>${loaded.alerts.map(
                    (
                      rule,
                    ) => html`<tr data-alert-id=${rule.id} data-alert-state=${rule.state} class=${rule.id === alertId ? 'selected' : ''}>
                      <td><${AppLink} href=${pathOf(base, 'alerts', rule.id)}>${rule.name}<//></td>
                      <td><${StateBadge} state=${rule.state} /></td>
                      <td>${ruleSummary(rule)}</td>
                      <td class="number">${formatByUnit(rule.value, METRIC_UNITS[rule.metric])}</td>
                      <td>${formatInstant(rule.since)}</td>
                      <td>${rule.severity}</td>
                      <td>${rule.source}${rule.enabled ? '' : ' (disabled)'}</td>
                    </tr>`,
                  )}</tbody>
                </table></div>`}
        />
      </div>
      ${alertId ? html`<${AlertDetail} alertId=${alertId} onTested=${reload} />` : null}
    </div>
  </section>`;
}

function AlertDetail({ alertId, onTested }: { alertId: string; onTested: () => void }) {
  const { api, base } = useDashboard();
  const [detail, reloadDetail] = useLoaded(() => api.get<AlertRuleDetailJson>(`/alerts/${encodeURIComponent(alertId)}`), [alertId], {
    refreshMs: VIEW_REFRESH_MS,
  });
  const [history, reloadHistory] = useLoaded(
    () => api.get<{ history: AlertHistoryEntryJson[] }>(`/alerts/${encodeURIComponent(alertId)}/history`, { limit: HISTORY_LINES }),
    [alertId],
  );
  const [test, setTest] = useState<
    { status: 'idle' } | { status: 'sending' } | { status: 'done'; result: AlertTestResultJson } | { status: 'error'; error: ApiError }
  >({ status: 'idle' });
  const sendTest = async () => {
    setTest({ status: 'sending' });
    try {
      const result = await api.post<AlertTestResultJson>(`/alerts/${encodeURIComponent(alertId)}/test`);
      setTest({ status: 'done', result });
      reloadHistory();
      onTested();
    } catch (error) {
      setTest({ status: 'error', error: error as ApiError });
    }
  };
  return html`<aside class="detail-panel" aria-label="Alert detail">
    <div class="detail-header"><h2>Alert</h2><${AppLink} href=${pathOf(base, 'alerts')} class="close">Close<//></div>
    <${WhenLoaded}
      state=${detail}
      what="the rule"
      retry=${reloadDetail}
      render=${(rule: AlertRuleDetailJson) => {
        const requests = alertRequestsQuery({
          metric: rule.metric,
          filter: rule.filter,
          group: null,
          fromMs: Date.now() - rule.windowSeconds * 1000,
          toMs: Date.now(),
        });
        return html`<h3>${rule.name} <${StateBadge} state=${rule.state} /></h3>
          <dl class="facts">
            <dt>Watches</dt><dd>${ruleSummary(rule)}</dd>
            <dt>Filter</dt><dd>${filterSummary(rule.filter)}</dd>
            <dt>Group by</dt><dd>${rule.groupBy ?? '—'}</dd>
            <dt>Channels</dt><dd>${Object.keys(rule.channels).join(', ') || '—'}</dd>
            <dt>Resolves after</dt><dd>${rule.resolveAfterSeconds} s without a breach</dd>
            <dt>Last evaluated</dt><dd>${formatInstant(rule.evaluatedAt)}${rule.requests !== null ? `, ${rule.requests} requests in the window` : ''}</dd>
          </dl>
          <p><${AppLink} href=${`${pathOf(base, 'requests')}?${requests}`}>The requests it watches, over its window<//></p>
          ${
            rule.groups.length > 0
              ? html`<h3>Groups</h3><table class="groups"><thead><tr><th>${rule.groupBy}</th><th>State</th><th class="number">Value</th><th>Since</th></tr></thead>
                <tbody>${rule.groups.map((group) => html`<tr><td>${group.group ?? '(none)'}</td><td><${StateBadge} state=${group.state} /></td><td class="number">${formatByUnit(group.value, METRIC_UNITS[rule.metric])}</td><td>${formatInstant(group.since)}</td></tr>`)}</tbody></table>`
              : null
          }
          <div class="test-notification">
            <button type="button" onClick=${sendTest} disabled=${test.status === 'sending'}>${test.status === 'sending' ? 'Sending…' : 'Send a test notification'}</button>
            ${
              test.status === 'done'
                ? html`<ul class="deliveries" aria-label="Test deliveries">${test.result.deliveries.map((delivery) => html`<li data-delivery=${delivery.channel}>${delivery.channel}: <strong>${delivery.outcome}</strong>${delivery.error ? ` (${delivery.error})` : ''}</li>`)}</ul>`
                : test.status === 'error'
                  ? html`<${ErrorNotice} error=${test.error} />`
                  : null
            }
          </div>`;
      }}
    />
    <h3>History</h3>
    <${WhenLoaded}
      state=${history}
      what="the history"
      retry=${reloadHistory}
      render=${(loaded: { history: AlertHistoryEntryJson[] }) =>
        loaded.history.length === 0
          ? html`<${EmptyNotice}>Nothing yet: the rule has not fired, and no test was sent.<//>`
          : html`<ol class="history">${loaded.history.map((entry) => html`<li data-history-type=${entry.type}>${historyLine(entry, detail.status === 'ok' ? METRIC_UNITS[detail.data.metric] : 'requests')}</li>`)}</ol>`}
    />
  </aside>`;
}

function StateBadge({ state }: { state: 'ok' | 'firing' | 'resolved' }) {
  return html`<span class=${`state state-${state}`}>${state}</span>`;
}

const COMPARISONS = { gt: '>', gte: '≥', lt: '<', lte: '≤' } as const;

function ruleSummary(rule: Pick<AlertRuleWithStateJson, 'metric' | 'comparison' | 'threshold' | 'windowSeconds' | 'forecast'>): string {
  return `${rule.forecast ? 'forecast ' : ''}${rule.metric} ${COMPARISONS[rule.comparison]} ${rule.threshold} over ${windowText(rule.windowSeconds)}`;
}

function filterSummary(filter: AlertRuleWithStateJson['filter']): string {
  const parts = Object.entries(filter.properties ?? {}).map(([name, value]) => `${name}=${value}`);
  for (const name of ['userId', 'model', 'provider', 'key'] as const) if (filter[name] !== undefined) parts.push(`${name}=${filter[name]}`);
  return parts.join(', ') || 'all traffic';
}

function windowText(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function historyLine(entry: AlertHistoryEntryJson, unit: MetricUnit): string {
  const group = entry.group === null ? '' : ` [${entry.group}]`;
  if (entry.type === 'transition') {
    return `${formatInstant(entry.at)}${group}: ${entry.kind}, now ${entry.status} (value ${formatByUnit(entry.value, unit)}, ${entry.requests} requests)`;
  }
  return `${formatInstant(entry.at)}${group}: ${entry.kind} via ${entry.channel}: ${entry.outcome}${entry.attempts > 1 ? ` after ${entry.attempts} attempts` : ''}${entry.error ? ` (${entry.error})` : ''}`;
}
