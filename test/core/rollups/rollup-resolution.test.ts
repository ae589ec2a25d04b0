import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketExpiresAtMs, bucketStartMs, finestKeptResolution, tileWindow } from '../../../lambdas/core/rollups/rollup-resolution.js';

const at = (iso: string) => Date.parse(iso);
const RETENTION = { minute: 2, hour: 90, day: 730 };

describe('rollup resolutions', () => {
  it('starts buckets on UTC minute, hour and day boundaries', () => {
    const t = at('2026-12-01T10:31:45.123Z');
    assert.equal(bucketStartMs(t, 'minute'), at('2026-12-01T10:31:00Z'));
    assert.equal(bucketStartMs(t, 'hour'), at('2026-12-01T10:00:00Z'));
    assert.equal(bucketStartMs(t, 'day'), at('2026-12-01T00:00:00Z'));
  });

  it('expires a bucket its retention after it ends', () => {
    assert.equal(bucketExpiresAtMs(at('2026-12-01T10:00:00Z'), 'hour', RETENTION), at('2027-03-01T11:00:00Z'));
  });

  it('reads the finest resolution still kept at the start of a window', () => {
    const now = at('2026-12-10T00:00:00Z');
    assert.equal(finestKeptResolution(at('2026-12-09T00:00:00Z'), now, RETENTION), 'minute');
    assert.equal(finestKeptResolution(at('2026-12-01T00:00:00Z'), now, RETENTION), 'hour');
    assert.equal(finestKeptResolution(at('2025-12-01T00:00:00Z'), now, RETENTION), 'day');
    assert.equal(finestKeptResolution(at('2020-01-01T00:00:00Z'), now, RETENTION), null);
  });

  it('tiles a window with the fewest buckets, exactly', () => {
    const tiles = tileWindow(at('2026-11-29T22:58:00Z'), at('2026-12-01T01:02:00Z'), 'minute');
    assert.deepEqual(
      tiles.map((t) => `${t.resolution} ${new Date(t.startMs).toISOString().slice(0, 16)}`),
      [
        'minute 2026-11-29T22:58',
        'minute 2026-11-29T22:59',
        'hour 2026-11-29T23:00',
        'day 2026-11-30T00:00',
        'hour 2026-12-01T00:00',
        'minute 2026-12-01T01:00',
        'minute 2026-12-01T01:01',
      ],
    );
    assert.deepEqual(tileWindow(at('2026-12-01T00:00:00Z'), at('2026-12-01T00:00:00Z'), 'minute'), []);
    assert.throws(() => tileWindow(at('2026-12-01T00:00:30Z'), at('2026-12-01T01:00:00Z'), 'minute'), RangeError);
    const hourly = tileWindow(at('2026-11-01T05:00:00Z'), at('2026-12-01T03:00:00Z'), 'hour');
    assert.equal(hourly.length, 19 + 29 + 3);
  });
});
