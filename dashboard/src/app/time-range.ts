/**
 * The range picker's model: the guide's windows (1 h, 24 h, 7 d, 30 d) ending now, or a custom
 * range, kept in the page's URL (`range=24h`, or `from` and `to` as ISO instants) so a view's link
 * shows the same range.
 */

export const RANGE_PRESETS = [
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '24h', label: '24 h', ms: 86_400_000 },
  { id: '7d', label: '7 d', ms: 7 * 86_400_000 },
  { id: '30d', label: '30 d', ms: 30 * 86_400_000 },
] as const;

export type RangePresetId = (typeof RANGE_PRESETS)[number]['id'];

export const DEFAULT_RANGE: RangePresetId = '24h';

export type TimeRange = { kind: 'preset'; preset: RangePresetId } | { kind: 'custom'; fromMs: number; toMs: number };

/** The range a URL's query names; a missing or unreadable one is the default window. */
export function rangeFromQuery(query: URLSearchParams): TimeRange {
  const from = instantOf(query.get('from'));
  const to = instantOf(query.get('to'));
  if (from !== undefined && to !== undefined && from < to) return { kind: 'custom', fromMs: from, toMs: to };
  if (from !== undefined && to === undefined) return { kind: 'custom', fromMs: from, toMs: Number.NaN };
  const preset = RANGE_PRESETS.find((candidate) => candidate.id === query.get('range'));
  return { kind: 'preset', preset: preset?.id ?? DEFAULT_RANGE };
}

/** Writes `range` into `query` (replacing any range it had) and returns it. */
export function rangeIntoQuery(range: TimeRange, query: URLSearchParams): URLSearchParams {
  query.delete('range');
  query.delete('from');
  query.delete('to');
  if (range.kind === 'preset') {
    if (range.preset !== DEFAULT_RANGE) query.set('range', range.preset);
  } else {
    query.set('from', new Date(range.fromMs).toISOString());
    if (Number.isFinite(range.toMs)) query.set('to', new Date(range.toMs).toISOString());
  }
  return query;
}

/** The instants a range covers at `nowMs`: from inclusive, to exclusive (a custom range without an end ends now). */
export function resolveRange(range: TimeRange, nowMs: number): { fromMs: number; toMs: number } {
  if (range.kind === 'custom') return { fromMs: range.fromMs, toMs: Number.isFinite(range.toMs) ? range.toMs : nowMs };
  const preset = RANGE_PRESETS.find((candidate) => candidate.id === range.preset) ?? RANGE_PRESETS[1];
  return { fromMs: nowMs - preset.ms, toMs: nowMs };
}

/** `from` and `to` as the query API takes them. */
export function rangeParameters(range: TimeRange, nowMs: number): { from: string; to: string } {
  const { fromMs, toMs } = resolveRange(range, nowMs);
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
}

/** What the picker shows for a range. */
export function rangeLabel(range: TimeRange): string {
  if (range.kind === 'preset') return `last ${RANGE_PRESETS.find((candidate) => candidate.id === range.preset)?.label ?? range.preset}`;
  const to = Number.isFinite(range.toMs) ? new Date(range.toMs).toISOString().slice(0, 16).replace('T', ' ') : 'now';
  return `${new Date(range.fromMs).toISOString().slice(0, 16).replace('T', ' ')} to ${to} UTC`;
}

function instantOf(text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(value) ? value : undefined;
}
