import type { RollupSample } from './rollup-sample.js';

/** What a rollup series can be split by: the request's user, model, provider, gateway key name, or an indexed property. */
export type Dimension = 'user' | 'model' | 'provider' | 'key' | `property:${string}`;

export const FIXED_DIMENSIONS = ['user', 'model', 'provider', 'key'] as const satisfies readonly Dimension[];

/**
 * The value the cardinality guard counts a dimension's values under once its day is full, and
 * any value too long for a key. Folded requests are counted there, so totals stay whole.
 */
export const OTHER_VALUE = '(other)';

/** Longest value in UTF-8 bytes that gets its own series (two of them must fit a 1 KB DynamoDB sort key). */
export const MAX_DIMENSION_VALUE_BYTES = 256;

export function propertyDimension(name: string): Dimension {
  return `property:${name}`;
}

/** The dimensions the rollups keep: the fixed four and each indexed property. */
export function rollupDimensions(indexedProperties: readonly string[]): Dimension[] {
  return [...FIXED_DIMENSIONS, ...indexedProperties.map(propertyDimension)];
}

/** A request's value of each dimension; null where it has none (no user id, no such property). */
export function dimensionValues(sample: RollupSample, dimensions: readonly Dimension[]): Map<Dimension, string | null> {
  const values = new Map<Dimension, string | null>();
  for (const dimension of dimensions) values.set(dimension, valueOf(sample, dimension));
  return values;
}

function valueOf(sample: RollupSample, dimension: Dimension): string | null {
  switch (dimension) {
    case 'user':
      return sample.userId;
    case 'model':
      return sample.model;
    case 'provider':
      return sample.provider;
    case 'key':
      return sample.keyName;
    default:
      return sample.properties[dimension.slice('property:'.length)] ?? null;
  }
}

/** True when a value is too long to be a series of its own and folds into `(other)`. */
export function isOversizedValue(value: string): boolean {
  return Buffer.byteLength(value, 'utf8') > MAX_DIMENSION_VALUE_BYTES;
}
