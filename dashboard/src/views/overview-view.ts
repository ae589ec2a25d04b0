import { html } from 'htm/preact';
import type { MetricName } from '../../../lambdas/contract/metric-names.js';
import type { MetricsJson } from '../../../lambdas/core/query/schemas/metrics-json-schemas.js';
import { formatByUnit } from '../app/format.js';
import { rangeParameters } from '../app/time-range.js';
import { useDashboard } from '../components/dashboard-context.js';
import { useLoaded, WhenLoaded, EmptyNotice, VIEW_REFRESH_MS } from '../components/load-state.js';
import { MetricChart } from '../components/metric-chart.js';
import { RangePicker } from '../components/range-picker.js';
import { setQueryParameter, useRangeInUrl } from '../components/range-state.js';

/** The guide's daily review: each metric over the range, as a chart with its total. */
const OVERVIEW_METRICS: { metric: MetricName; title: string }[] = [
  { metric: 'requests', title: 'Requests' },
  { metric: 'error_rate', title: 'Error rate' },
  { metric: 'cost', title: 'Cost' },
  { metric: 'latency_p95', title: 'Latency p95' },
  { metric: 'ttft_p95', title: 'Time to first token p95' },
  { metric: 'cache_hit_rate', title: 'Cache hit rate' },
  { metric: 'unpriced_share', title: 'Unpriced share' },
];

/** The groups a split chart draws; the rest are in the API's answer, past `limit`. */
const SPLIT_GROUPS = 6;

interface MetricPanel {
  metric: MetricName;
  overall: MetricsJson;
  split: MetricsJson | null;
}

export function OverviewView() {
  const { api, query } = useDashboard();
  const [range, setRange] = useRangeInUrl();
  const split = query.get('split');
  const span = rangeParameters(range, Date.now());
  const [dimensions] = useLoaded(() => api.get<{ dimensions: string[] }>('/metrics/dimensions'), []);
  const [panels, reload] = useLoaded(
    () =>
      Promise.all(
        OVERVIEW_METRICS.map(async ({ metric }): Promise<MetricPanel> => {
          const [overall, splitSeries] = await Promise.all([
            api.get<MetricsJson>('/metrics', { metric, ...span }),
            split ? api.get<MetricsJson>('/metrics', { metric, ...span, groupBy: split, limit: SPLIT_GROUPS }) : Promise.resolve(null),
          ]);
          return { metric, overall, split: splitSeries };
        }),
      ),
    [JSON.stringify(range), split],
    { refreshMs: VIEW_REFRESH_MS },
  );
  const splitChoices =
    dimensions.status === 'ok' ? dimensions.data.dimensions.filter((name) => name === 'model' || name.startsWith('property:')) : ['model'];
  return html`<section>
    <div class="view-header">
      <h1>Overview</h1>
      <${RangePicker} range=${range} onChange=${setRange} />
      <label class="split">
        Split by
        <select value=${split ?? ''} onChange=${(e: Event) => setQueryParameter(query, 'split', (e.target as HTMLSelectElement).value)}>
          <option value="">nothing</option>
          ${splitChoices.map((name) => html`<option value=${name}>${name.replace('property:', '')}</option>`)}
        </select>
      </label>
    </div>
    <${WhenLoaded}
      state=${panels}
      what="metrics"
      retry=${reload}
      render=${(loaded: MetricPanel[]) => html`
        ${
          loaded[0]?.overall.series[0]?.requests === 0
            ? html`<${EmptyNotice}>No requests in this range yet. Point an app at the gateway, or run <code>npm run demo</code>.<//>`
            : null
        }
        <div class="metric-grid">${loaded.map((panel) => html`<${MetricCard} panel=${panel} />`)}</div>
      `}
    />
  </section>`;
}

function MetricCard({ panel }: { panel: MetricPanel }) {
  const title = OVERVIEW_METRICS.find((entry) => entry.metric === panel.metric)?.title ?? panel.metric;
  const overall = panel.overall.series[0];
  const drawn = panel.split ?? panel.overall;
  const times = (drawn.series[0] ?? overall)?.points.map((point) => Date.parse(point.t)) ?? [];
  const series = drawn.series.map((line) => ({
    label: panel.split ? (line.group ?? '(none)') : title,
    values: line.points.map((point) => point.value),
  }));
  return html`<article class="metric-card" data-card=${panel.metric}>
    <h2>${title}</h2>
    <p class="metric-total">
      <span data-metric=${panel.metric} data-value=${overall?.total ?? ''}>${formatByUnit(overall?.total, panel.overall.unit)}</span>
      <span class="metric-requests">${overall ? `${overall.requests.toLocaleString('en-US')} requests` : ''}</span>
    </p>
    ${times.length > 0 ? html`<${MetricChart} times=${times} series=${series} unit=${panel.overall.unit} />` : null}
  </article>`;
}
