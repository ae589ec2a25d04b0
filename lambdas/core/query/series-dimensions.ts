import { propertyDimension, type Dimension } from '../rollups/rollup-dimensions.js';
import { compareDimensions, MAX_SERIES_DIMENSIONS } from '../rollups/rollup-series.js';
import { invalidParameter } from './invalid-parameter.js';

/** A dimension a query names, with the parameter that names it (for the 400 that points at it). */
export interface NamedDimension {
  parameter: string;
  dimension: Dimension;
}

/**
 * The dimension of a property a query filters or groups by. A property the rollups keep no series
 * for is a 400 naming `parameter` and saying how to index it.
 */
export function indexedPropertyDimension(parameter: string, property: string, indexedProperties: readonly string[]): Dimension {
  if (indexedProperties.includes(property)) return propertyDimension(property);
  throw invalidParameter(
    `${parameter}: the property "${property}" is not indexed, so the rollups keep no series for it; add "${property}" to ` +
      'indexedProperties in lookout.config.ts (it counts from the next deploy on), and ' +
      '`npm run rollups:rebuild -- --from <day> --to <day>` fills in the past the request log still holds',
  );
}

/**
 * The series dimensions of filters and a split together, sorted as stored. More than the rollups
 * combine in one series is a 400 naming the parameter that went past the limit.
 */
export function seriesDimensions(named: readonly NamedDimension[]): Dimension[] {
  const dimensions: Dimension[] = [];
  for (const { parameter, dimension } of named) {
    if (dimensions.includes(dimension)) continue;
    dimensions.push(dimension);
    if (dimensions.length > MAX_SERIES_DIMENSIONS) {
      const all = [...new Set(named.map((entry) => entry.dimension))];
      throw invalidParameter(
        `${parameter}: the filters and groupBy name ${all.length} dimensions (${all.join(', ')}), and the rollups keep series of ` +
          `at most ${MAX_SERIES_DIMENSIONS}; drop a filter, or the groupBy`,
      );
    }
  }
  return dimensions.sort(compareDimensions);
}
