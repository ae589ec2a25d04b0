import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY_MS, resolveTimeWindow } from '../../../lambdas/core/query/time-window.js';

describe('resolveTimeWindow', () => {
  const now = Date.UTC(2025, 5, 15, 12);

  it('defaults to the retention period up to now', () => {
    assert.deepEqual(resolveTimeWindow({ fromMs: undefined, toMs: undefined }, now, 30), { fromMs: now - 30 * DAY_MS, toMs: now });
  });

  it('never reaches before the retention period, where items have expired', () => {
    assert.deepEqual(resolveTimeWindow({ fromMs: 0, toMs: now - DAY_MS }, now, 30), { fromMs: now - 30 * DAY_MS, toMs: now - DAY_MS });
  });
});
