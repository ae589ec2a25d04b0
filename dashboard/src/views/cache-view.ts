import { html } from 'htm/preact';
import type { CacheStatsJson } from '../../../lambdas/core/query/schemas/cache-stats-json-schemas.js';
import type { MetricsJson } from '../../../lambdas/core/query/schemas/metrics-json-schemas.js';
import { formatCount, formatMs, formatRate, formatTokens, formatUsd } from '../app/format.js';
import { rangeParameters } from '../app/time-range.js';
import { useDashboard } from '../components/dashboard-context.js';
import { EmptyNotice, useLoaded, VIEW_REFRESH_MS, WhenLoaded } from '../components/load-state.js';
import { MetricChart } from '../components/metric-chart.js';
import { RangePicker } from '../components/range-picker.js';
import { setQueryParameter, useRangeInUrl } from '../components/range-state.js';

interface CachePage {
  stats: CacheStatsJson;
  hitRate: MetricsJson;
  saved: MetricsJson;
}

/** The response cache: hit rate and what it saved, in USD, tokens and latency, over the range and by group. */
export function CacheView() {
  const { api, query } = useDashboard();
  const [range, setRange] = useRangeInUrl();
  const groupBy = query.get('groupBy') ?? 'model';
  const [page, reload] = useLoaded(
    async (): Promise<CachePage> => {
      const span = rangeParameters(range, Date.now());
      const [stats, hitRate, saved] = await Promise.all([
        api.get<CacheStatsJson>('/cache/stats', { ...span, groupBy }),
        api.get<MetricsJson>('/metrics', { metric: 'cache_hit_rate', ...span }),
        api.get<MetricsJson>('/metrics', { metric: 'saved_usd', ...span }),
      ]);
      return { stats, hitRate, saved };
    },
    [JSON.stringify(range), groupBy],
    { refreshMs: VIEW_REFRESH_MS },
  );
  return html`<section>
    <div class="view-header">
      <h1>Cache</h1>
      <${RangePicker} range=${range} onChange=${setRange} />
      <label>By
        <select value=${groupBy} onChange=${(e: Event) => setQueryParameter(query, 'groupBy', (e.target as HTMLSelectElement).value)}>
          <option value="model">model</option><option value="user">user</option>
        </select>
      </label>
    </div>
    <${WhenLoaded}
      state=${page}
      what="cache figures"
      retry=${reload}
      render=${({ stats, hitRate, saved }: CachePage) => {
        const totals = stats.totals;
        const lookups = totals.hits + totals.misses + totals.unavailable;
        return html`${lookups === 0 ? html`<${EmptyNotice}>No request asked for the cache in this range. Send <code>Lookout-Cache-Enabled: true</code>.<//>` : null}
          <div class="totals">
            <div class="total"><span class="total-label">Hit rate</span><span class="total-value" data-metric="cache_hit_rate" data-value=${totals.hitRate === null ? '' : totals.hitRate * 100}>${formatRate(totals.hitRate)}</span></div>
            <div class="total"><span class="total-label">Saved</span><span class="total-value" data-metric="saved_usd" data-value=${totals.savedUsd}>${formatUsd(totals.savedUsd)}</span></div>
            <div class="total"><span class="total-label">Tokens saved</span><span class="total-value" data-cache-total="savedTokens">${formatTokens(totals.savedTokens)}</span></div>
            <div class="total"><span class="total-label">Latency saved</span><span class="total-value" data-cache-total="savedLatencyMs">${formatMs(totals.savedLatencyMs)}</span></div>
            <div class="total"><span class="total-label">Hits / misses</span><span class="total-value" data-cache-total="hits">${formatCount(totals.hits)} / ${formatCount(totals.misses)}</span></div>
            ${totals.unavailable > 0 ? html`<div class="total"><span class="total-label">Cache unavailable</span><span class="total-value warn">${formatCount(totals.unavailable)}</span></div>` : null}
          </div>
          <div class="metric-grid two">
            <${SeriesCard} title="Hit rate" metrics=${hitRate} />
            <${SeriesCard} title="Saved (USD)" metrics=${saved} />
          </div>
          ${
            stats.groups && stats.groups.length > 0
              ? html`<div class="table-scroll"><table class="cache-groups">
                <thead><tr><th>${groupBy}</th><th class="number">Hits</th><th class="number">Misses</th><th class="number">Hit rate</th><th class="number">Saved</th><th class="number">Tokens saved</th><th class="number">Latency saved</th></tr></thead>
                <tbody>${stats.groups.map((group) => html`<tr><td>${group.value ?? '(none)'}</td><td class="number">${formatCount(group.hits)}</td><td class="number">${formatCount(group.misses)}</td><td class="number">${formatRate(group.hitRate)}</td><td class="number">${formatUsd(group.savedUsd)}</td><td class="number">${formatTokens(group.savedTokens)}</td><td class="number">${formatMs(group.savedLatencyMs)}</td></tr>`)}</tbody>
              </table></div>`
              : null
          }`;
      }}
    />
  </section>`;
}

function SeriesCard({ title, metrics }: { title: string; metrics: MetricsJson }) {
  const line = metrics.series[0];
  if (!line) return null;
  return html`<article class="metric-card"><h2>${title}</h2>
    <${MetricChart} times=${line.points.map((point) => Date.parse(point.t))} series=${[{ label: title, values: line.points.map((point) => point.value) }]} unit=${metrics.unit} />
  </article>`;
}
