import type { RollupWriter } from '../../core/ports/rollup-store.js';
import { dimensionValues, isOversizedValue, OTHER_VALUE, type Dimension } from '../../core/rollups/rollup-dimensions.js';
import type { RollupSample } from '../../core/rollups/rollup-sample.js';
import { utcDay } from '../../core/request-log/request-log-record.js';

export interface FoldingLogger {
  warn(message: string, extra: Record<string, unknown>): void;
}

// Days of admissions remembered per process; records are mostly of today, replays of a few days back.
const REMEMBERED_DAYS = 64;

/**
 * The cardinality guard: gives each request's dimension values as the rollups count them, a
 * value beyond its day's limit (or too long for a key) as `(other)`. The store's admissions are
 * permanent for their day and a full day stays full, so the answers are remembered: each value
 * costs one admission a day per process, and a redelivered record folds exactly as it did before.
 */
export class DimensionFolding {
  private readonly admitted = new Map<string, Set<string>>();
  private readonly refused = new Map<string, Set<string>>();

  constructor(
    private readonly store: Pick<RollupWriter, 'admitValues'>,
    private readonly dimensions: readonly Dimension[],
    private readonly maxValuesPerDay: number,
    private readonly logger: FoldingLogger,
  ) {}

  /** Each sample's values, in order, folded where the guard says so. */
  async foldedValues(samples: readonly RollupSample[]): Promise<Map<Dimension, string | null>[]> {
    const raw = samples.map((sample) => dimensionValues(sample, this.dimensions));
    await this.admitUnknown(samples, raw);
    return samples.map((sample, index) => {
      const day = utcDay(sample.createdAtMs);
      const folded = new Map<Dimension, string | null>();
      for (const [dimension, value] of raw[index]!) {
        const kept = value === null || (!isOversizedValue(value) && this.admitted.get(slot(dimension, day))?.has(value));
        folded.set(dimension, kept ? value : OTHER_VALUE);
      }
      return folded;
    });
  }

  private async admitUnknown(samples: readonly RollupSample[], raw: readonly Map<Dimension, string | null>[]): Promise<void> {
    const unknown = new Map<string, { dimension: Dimension; day: string; values: Set<string> }>();
    samples.forEach((sample, index) => {
      const day = utcDay(sample.createdAtMs);
      for (const [dimension, value] of raw[index]!) {
        if (value === null || isOversizedValue(value)) continue;
        const key = slot(dimension, day);
        if (this.admitted.get(key)?.has(value) || this.refused.get(key)?.has(value)) continue;
        let entry = unknown.get(key);
        if (!entry) unknown.set(key, (entry = { dimension, day, values: new Set() }));
        entry.values.add(value);
      }
    });
    if (this.admitted.size > REMEMBERED_DAYS * this.dimensions.length) {
      this.admitted.clear();
      this.refused.clear();
    }
    for (const [key, { dimension, day, values }] of unknown) {
      const asked = [...values];
      const admitted = await this.store.admitValues(dimension, day, asked, this.maxValuesPerDay);
      const refusedNow = asked.filter((value) => !admitted.has(value));
      remember(this.admitted, key, admitted);
      if (refusedNow.length === 0) continue;
      if (!this.refused.has(key)) {
        this.logger.warn('rollups: a dimension reached its distinct values for the day; further values are counted as (other)', {
          dimension,
          day,
          limit: this.maxValuesPerDay,
        });
      }
      remember(this.refused, key, refusedNow);
    }
  }
}

function slot(dimension: Dimension, day: string): string {
  return `${dimension}|${day}`;
}

function remember(map: Map<string, Set<string>>, key: string, values: Iterable<string>): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  for (const value of values) set.add(value);
}
