/**
 * How numbers read on the dashboard. Totals keep their digits parseable (no unit words, at most a
 * leading `$` or a trailing `%`/` ms`), since tests and people both read them back.
 */

import type { MetricUnit } from '../../../lambdas/contract/metric-names.js';

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value === 0) return '$0';
  const abs = Math.abs(value);
  // Three significant figures below a dollar, where LLM costs mostly are; cents above.
  const digits = abs >= 1 ? 2 : Math.max(2, Math.min(8, 2 - Math.floor(Math.log10(abs))));
  return `$${value.toFixed(digits)}`;
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

/** A percentage given as 0 to 100. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `${value.toFixed(value !== 0 && Math.abs(value) < 1 ? 2 : 1)}%`;
}

/** A rate given as 0 to 1. */
export function formatRate(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : formatPercent(value * 100);
}

export function formatByUnit(value: number | null | undefined, unit: MetricUnit): string {
  if (value === null || value === undefined) return '—';
  switch (unit) {
    case 'usd':
      return formatUsd(value);
    case 'ms':
      return formatMs(value);
    case 'percent':
      return formatPercent(value);
    default:
      return formatCount(value);
  }
}

export function formatTokens(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : formatCount(value);
}

/** An instant as the tables show it: local date and time to the second. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' });
}
