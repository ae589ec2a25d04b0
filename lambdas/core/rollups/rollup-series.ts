import type { Dimension } from './rollup-dimensions.js';

/**
 * One series of the rollups: the requests whose `dimensions` have `values` (null: the request has
 * no value there). All traffic has no dimension; a filter or a split is one; a filter with a
 * split, or two filters, is two (`property:environment = production` split by user).
 */
export interface SeriesKey {
  /** Sorted, at most two. */
  dimensions: readonly Dimension[];
  values: readonly (string | null)[];
}

/** The most dimensions one series combines: pairs cover a filter with a split, at a write cost of one item per pair. */
export const MAX_SERIES_DIMENSIONS = 2;

export const ALL_TRAFFIC: SeriesKey = { dimensions: [], values: [] };

/**
 * Every series a request with these (already folded) values counts in: all traffic, each
 * dimension, and each pair of dimensions.
 */
export function seriesOfRequest(values: ReadonlyMap<Dimension, string | null>): SeriesKey[] {
  const entries = [...values].sort(([a], [b]) => compareDimensions(a, b));
  const series: SeriesKey[] = [ALL_TRAFFIC];
  entries.forEach(([dimension, value], index) => {
    series.push({ dimensions: [dimension], values: [value] });
    for (const [second, secondValue] of entries.slice(index + 1)) {
      series.push({ dimensions: [dimension, second], values: [value, secondValue] });
    }
  });
  return series;
}

/** The series for dimensions given in any order, sorted the way they are stored. */
export function seriesKey(pairs: ReadonlyMap<Dimension, string | null>): SeriesKey {
  const entries = [...pairs].sort(([a], [b]) => compareDimensions(a, b));
  return { dimensions: entries.map(([dimension]) => dimension), values: entries.map(([, value]) => value) };
}

export function compareDimensions(a: Dimension, b: Dimension): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
