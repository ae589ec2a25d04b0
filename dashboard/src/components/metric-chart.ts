import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { MetricUnit } from '../../../lambdas/contract/metric-names.js';
import { formatByUnit } from '../app/format.js';

export interface ChartSeries {
  label: string;
  /** One value per timestamp; null where there is nothing to measure. */
  values: (number | null)[];
}

const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

/** A time series chart drawn by uPlot, as wide as its box (it follows resizes). */
export function MetricChart({
  times,
  series,
  unit,
  height = 160,
}: {
  times: number[];
  series: ChartSeries[];
  unit: MetricUnit;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      legend: { show: series.length > 1 },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        {},
        {
          values: (_chart, ticks) => ticks.map((tick) => formatByUnit(tick, unit)),
          // As wide as the longest label: a cost axis in fractions of a cent has long ones.
          size: (_chart, values) => 20 + 8 * Math.max(3, ...(values ?? []).map((label) => String(label).length)),
        },
      ],
      series: [
        {},
        ...series.map((line, index) => ({
          label: line.label,
          stroke: COLOURS[index % COLOURS.length],
          width: 1.5,
          spanGaps: false,
          // A line needs two points next to each other; a lone one (the first minute of traffic) is drawn as a dot.
          points: { show: line.values.filter((value) => value !== null).length < 20, size: 5 },
          value: (_chart: uPlot, value: number | null) => formatByUnit(value, unit),
        })),
      ],
    };
    const chart = new uPlot(options, [times.map((ms) => ms / 1000), ...series.map((line) => line.values)] as uPlot.AlignedData, element);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [times, series, unit, height]);
  return html`<div class="chart" ref=${box}></div>`;
}
