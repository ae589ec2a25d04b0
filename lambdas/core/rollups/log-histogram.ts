/**
 * The latency histogram of the usage rollups. A rollup stores counts per bucket and a query
 * merges the buckets of whatever window it asks about, so a percentile has to come from merging
 * histograms, never from scanning the requests again. This one is DDSketch's log-scale layout:
 * bin i holds the values in (gamma^(i-1), gamma^i], gamma = (1 + a) / (1 - a), so merging is
 * adding counts bin by bin (a DynamoDB `ADD` per bin) and loses nothing.
 *
 * The guarantee, with a = HISTOGRAM_RELATIVE_ACCURACY: for n values and q in [0, 1], the
 * quantile returned is within a * x of x, the element at index floor(q * (n - 1)) of the values
 * sorted ascending (the rank DDSketch's guarantee is stated for). Exact zero has its own bin and
 * comes back exact; a positive value below HISTOGRAM_MIN_DISTINCT_VALUE counts as zero, so it is
 * off by less than that floor rather than by 1%.
 */

/** The relative error bound of every quantile, 1%. */
export const HISTOGRAM_RELATIVE_ACCURACY = 0.01;

/**
 * Positive values below this (1 ns, latencies being in milliseconds) count as zero: no clock
 * measures below it, and a floor keeps bin indexes non-negative and few.
 */
export const HISTOGRAM_MIN_DISTINCT_VALUE = 1e-6;

/** Bin index to count; the indexes are non-negative safe integers, 0 is exact zero. */
export type Histogram = Map<number, number>;

const ZERO_BIN = 0;
const GAMMA = (1 + HISTOGRAM_RELATIVE_ACCURACY) / (1 - HISTOGRAM_RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
// The value halfway (in relative terms) between a bin's bounds, as a multiple of its lower bound:
// 2 * gamma^i / (gamma + 1) is off by at most a from anything in (gamma^(i-1), gamma^i].
const REPRESENTATIVE_OVER_LOWER_BOUND = (2 * GAMMA) / (GAMMA + 1);
const logGammaCeil = (value: number): number => Math.ceil(Math.log(value) / LOG_GAMMA);
// Shifts the log-scale index so the smallest distinct value lands in bin 1, just above zero's.
const BIN_OFFSET = 1 - logGammaCeil(HISTOGRAM_MIN_DISTINCT_VALUE);

const assertValue = (value: number): void => {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`histogram values are finite non-negative numbers, got ${value}`);
  }
};

/** The bin a value counts in. */
export function histogramBin(value: number): number {
  assertValue(value);
  if (value < HISTOGRAM_MIN_DISTINCT_VALUE) return ZERO_BIN;
  return logGammaCeil(value) + BIN_OFFSET;
}

/** The value a bin stands for in quantiles: 0 for the zero bin, else within a of all it holds. */
export function binValue(bin: number): number {
  if (!Number.isSafeInteger(bin) || bin < 0) {
    throw new RangeError(`histogram bins are non-negative safe integers, got ${bin}`);
  }
  if (bin === ZERO_BIN) return 0;
  // From the lower bound, so the largest finite values' bins do not overflow to Infinity.
  return Math.exp((bin - BIN_OFFSET - 1) * LOG_GAMMA) * REPRESENTATIVE_OVER_LOWER_BOUND;
}

/** Counts a value `count` times, in place. */
export function addToHistogram(histogram: Histogram, value: number, count = 1): void {
  if (!Number.isSafeInteger(count) || count <= 0) {
    throw new RangeError(`histogram counts are positive safe integers, got ${count}`);
  }
  const bin = histogramBin(value);
  histogram.set(bin, (histogram.get(bin) ?? 0) + count);
}

/** Adds every count of `source` into `target`, in place. */
export function mergeInto(target: Histogram, source: ReadonlyMap<number, number>): void {
  for (const [bin, count] of source) target.set(bin, (target.get(bin) ?? 0) + count);
}

/** A new histogram of everything the given ones counted. */
export function mergedHistogram(...histograms: readonly ReadonlyMap<number, number>[]): Histogram {
  const merged: Histogram = new Map();
  for (const histogram of histograms) mergeInto(merged, histogram);
  return merged;
}

/** How many values the histogram counted. */
export function histogramCount(histogram: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const count of histogram.values()) total += count;
  return total;
}

/** The q-quantile within the relative accuracy (rank floor(q * (n - 1))), or null when empty. */
export function histogramQuantile(histogram: ReadonlyMap<number, number>, q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantiles are in [0, 1], got ${q}`);
  const total = histogramCount(histogram);
  if (total === 0) return null;
  const rank = Math.floor(q * (total - 1));
  let seen = 0;
  for (const [bin, count] of [...histogram].sort(([left], [right]) => left - right)) {
    seen += count;
    if (seen > rank) return binValue(bin);
  }
  // The counts sum to total, which is more than rank: the loop always returns.
  throw new Error(`histogram of ${total} values has no value at rank ${rank}`);
}
