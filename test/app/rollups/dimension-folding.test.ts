import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DimensionFolding } from '../../../lambdas/app/rollups/dimension-folding.js';
import { OTHER_VALUE, rollupDimensions } from '../../../lambdas/core/rollups/rollup-dimensions.js';
import { InMemoryRollups } from '../../support/in-memory-rollups.js';
import { logRecord } from '../../support/request-log-records.js';

const DAY = Date.parse('2026-12-01T08:00:00Z');

function requestOf(userId: string | null, feature?: string, createdAtMs = DAY) {
  return logRecord({ id: `${userId}-${feature}-${createdAtMs}`, createdAtMs, userId, properties: feature ? { feature } : {} });
}

describe('the cardinality guard', () => {
  it('gives the first values of a day their own series and folds later new ones into (other), warning once', async () => {
    const store = new InMemoryRollups();
    const warnings: unknown[] = [];
    const folding = new DimensionFolding(store, rollupDimensions(['feature']), 2, { warn: (_m, extra) => warnings.push(extra) });
    const first = await folding.foldedValues([requestOf('a'), requestOf('b'), requestOf('c'), requestOf('a')]);
    assert.deepEqual(
      first.map((values) => values.get('user')),
      ['a', 'b', OTHER_VALUE, 'a'],
    );
    const later = await folding.foldedValues([requestOf('d'), requestOf('b'), requestOf('c')]);
    assert.deepEqual(
      later.map((values) => values.get('user')),
      [OTHER_VALUE, 'b', OTHER_VALUE],
    );
    assert.deepEqual(warnings, [{ dimension: 'user', day: '2026-12-01', limit: 2 }]);
    const nextDay = await folding.foldedValues([requestOf('c', undefined, DAY + 86_400_000)]);
    assert.equal(nextDay[0]!.get('user'), 'c', 'each day has its own limit');
  });

  it('keeps missing values as null, never folded, and folds a value too long for a key', async () => {
    const folding = new DimensionFolding(new InMemoryRollups(), rollupDimensions(['feature']), 10, { warn() {} });
    const [values] = await folding.foldedValues([requestOf(null, 'x'.repeat(300))]);
    assert.equal(values!.get('user'), null);
    assert.equal(values!.get('property:feature'), OTHER_VALUE);
    assert.equal(values!.get('model'), 'gpt-4o-mini');
  });

  it('answers a value another process admitted as admitted, whatever its own memory says', async () => {
    const store = new InMemoryRollups();
    await new DimensionFolding(store, ['user'], 1, { warn() {} }).foldedValues([requestOf('first')]);
    const [values] = await new DimensionFolding(store, ['user'], 1, { warn() {} }).foldedValues([requestOf('first')]);
    assert.equal(values!.get('user'), 'first');
  });
});
