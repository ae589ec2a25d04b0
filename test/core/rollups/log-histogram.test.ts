import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addToHistogram,
  binValue,
  HISTOGRAM_MIN_DISTINCT_VALUE,
  HISTOGRAM_RELATIVE_ACCURACY,
  type Histogram,
  histogramBin,
  histogramCount,
  histogramQuantile,
  mergedHistogram,
  mergeInto,
} from '../../../lambdas/core/rollups/log-histogram.js';

const LONGEST_LATENCY_MS = 1e8;
const NAMED_QUANTILES = [0, 0.5, 0.9, 0.95, 0.99, 1];

const histogramOf = (values: readonly number[]): Histogram => {
  const histogram: Histogram = new Map();
  for (const value of values) addToHistogram(histogram, value);
  return histogram;
};

// The rank the guarantee is stated for: the element at floor(q * (n - 1)) of the sorted values.
const exactQuantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((left, right) => left - right);
  const exact = sorted[Math.floor(q * (sorted.length - 1))];
  assert.ok(exact !== undefined);
  return exact;
};

const assertWithinAccuracy = (actual: number | null, exact: number, context: string): void => {
  assert.ok(actual !== null, `${context}: no quantile`);
  assert.ok(
    Math.abs(actual - exact) <= HISTOGRAM_RELATIVE_ACCURACY * exact,
    `${context}: ${actual} is not within ${HISTOGRAM_RELATIVE_ACCURACY * 100}% of ${exact}`,
  );
};

const uniformLatencies = fc.array(fc.integer({ min: 0, max: LONGEST_LATENCY_MS }), { minLength: 1, maxLength: 300 });
// Most requests fast, a few very slow: what real latencies look like, and where p99 matters.
const skewedLatencies = fc.array(
  fc.oneof(
    { weight: 20, arbitrary: fc.integer({ min: 0, max: 50 }) },
    { weight: 5, arbitrary: fc.integer({ min: 50, max: 2_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 2_000, max: LONGEST_LATENCY_MS }) },
  ),
  { minLength: 1, maxLength: 300 },
);
const fractionalLatencies = fc.array(fc.double({ min: HISTOGRAM_MIN_DISTINCT_VALUE, max: 10_000, noNaN: true }), {
  minLength: 1,
  maxLength: 300,
});
const latencies = fc.oneof(uniformLatencies, skewedLatencies, fractionalLatencies);
const quantiles = fc.oneof(fc.constantFrom(...NAMED_QUANTILES), fc.double({ min: 0, max: 1, noNaN: true }));

describe('histogramQuantile', () => {
  it('is within 1% of the exact quantile, for uniform, long-tailed and fractional latencies', () => {
    fc.assert(
      fc.property(latencies, quantiles, (values, q) => {
        assertWithinAccuracy(histogramQuantile(histogramOf(values), q), exactQuantile(values, q), `q=${q}`);
      }),
      { numRuns: 500 },
    );
  });

  it('holds the bound at every named quantile of one long-tailed sample', () => {
    fc.assert(
      fc.property(skewedLatencies, (values) => {
        const histogram = histogramOf(values);
        for (const q of NAMED_QUANTILES) assertWithinAccuracy(histogramQuantile(histogram, q), exactQuantile(values, q), `q=${q}`);
      }),
    );
  });

  it('gives zero back exactly', () => {
    const histogram = histogramOf([0, 0, 0, 5]);
    assert.equal(histogramQuantile(histogram, 0), 0);
    assert.equal(histogramQuantile(histogram, 0.5), 0);
    assertWithinAccuracy(histogramQuantile(histogram, 1), 5, 'max');
  });

  it('counts a positive value below the smallest distinct one as zero', () => {
    assert.equal(histogramQuantile(histogramOf([HISTOGRAM_MIN_DISTINCT_VALUE / 10]), 0.5), 0);
  });

  it('is null for an empty histogram', () => {
    assert.equal(histogramQuantile(new Map(), 0.5), null);
  });

  it('rejects a quantile outside [0, 1]', () => {
    for (const q of [-0.1, 1.5, Number.NaN]) {
      assert.throws(() => histogramQuantile(histogramOf([1]), q), { name: 'RangeError', message: new RegExp(String(q)) });
    }
  });
});

describe('addToHistogram', () => {
  it('counts a value as many times as asked', () => {
    const histogram: Histogram = new Map();
    addToHistogram(histogram, 120, 3);
    addToHistogram(histogram, 0);
    assert.equal(histogramCount(histogram), 4);
    assertWithinAccuracy(histogramQuantile(histogram, 1), 120, 'max');
  });

  it('rejects negative, NaN and infinite values, naming them', () => {
    for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      assert.throws(() => addToHistogram(new Map(), value), { name: 'RangeError', message: new RegExp(String(value)) });
    }
  });

  it('rejects a count that is not a positive integer', () => {
    for (const count of [0, -2, 1.5]) {
      assert.throws(() => addToHistogram(new Map(), 10, count), { name: 'RangeError', message: new RegExp(String(count)) });
    }
  });
});

describe('histogram bins', () => {
  it('are non-negative safe integers, zero its own, few enough for attribute names up to hours of latency', () => {
    assert.equal(histogramBin(0), 0);
    assert.ok(histogramBin(HISTOGRAM_MIN_DISTINCT_VALUE) > 0);
    assert.ok(histogramBin(LONGEST_LATENCY_MS) < 10_000, `bin ${histogramBin(LONGEST_LATENCY_MS)}`);
    fc.assert(
      fc.property(fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }), (value) => {
        const bin = histogramBin(value);
        assert.ok(Number.isSafeInteger(bin) && bin >= 0, `bin ${bin} of ${value}`);
      }),
    );
  });

  it('stand for a value within 1% of each value they hold', () => {
    fc.assert(
      fc.property(fc.double({ min: HISTOGRAM_MIN_DISTINCT_VALUE, max: Number.MAX_VALUE, noNaN: true }), (value) => {
        assertWithinAccuracy(binValue(histogramBin(value)), value, `value ${value}`);
      }),
    );
  });

  it('reject an index that is not a non-negative integer', () => {
    for (const bin of [-1, 2.5]) assert.throws(() => binValue(bin), { name: 'RangeError', message: new RegExp(String(bin)) });
  });
});

describe('merging histograms', () => {
  const histograms = uniformLatencies.map(histogramOf);

  it('is commutative and associative', () => {
    fc.assert(
      fc.property(histograms, histograms, histograms, (a, b, c) => {
        assert.deepEqual(mergedHistogram(a, b), mergedHistogram(b, a));
        assert.deepEqual(mergedHistogram(mergedHistogram(a, b), c), mergedHistogram(a, mergedHistogram(b, c)));
      }),
    );
  });

  it('gives the quantiles of the histogram of all the values, within 1% of their exact quantile', () => {
    fc.assert(
      fc.property(fc.array(latencies, { minLength: 1, maxLength: 6 }), quantiles, (parts, q) => {
        const all = parts.flat();
        const merged = mergedHistogram(...parts.map(histogramOf));
        assert.deepEqual(merged, histogramOf(all));
        assert.equal(histogramQuantile(merged, q), histogramQuantile(histogramOf(all), q));
        assertWithinAccuracy(histogramQuantile(merged, q), exactQuantile(all, q), `q=${q}`);
      }),
    );
  });

  it('adds into the target in place and leaves the source alone', () => {
    const target = histogramOf([10, 20]);
    const source = histogramOf([20, 0]);
    mergeInto(target, source);
    assert.equal(histogramCount(target), 4);
    assert.deepEqual(source, histogramOf([20, 0]));
    assert.equal(histogramQuantile(target, 0), 0);
  });

  it('of nothing is an empty histogram', () => {
    assert.equal(histogramCount(mergedHistogram()), 0);
  });
});
