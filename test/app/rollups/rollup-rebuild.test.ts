/**
 * The rebuild against the live aggregation, on in-memory stores: rebuilding days from the log
 * gives exactly the buckets the stream built, a second run changes nothing, and the cardinality
 * guard folds the same values into (other) either way, keeping every request counted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RollupRebuild } from '../../../lambdas/app/rollups/rollup-rebuild.js';
import { StreamAggregator } from '../../../lambdas/app/rollups/stream-aggregator.js';
import type { RollupSampleSource } from '../../../lambdas/core/ports/rollup-sample-source.js';
import type { TimeWindow } from '../../../lambdas/core/query/time-window.js';
import { OTHER_VALUE } from '../../../lambdas/core/rollups/rollup-dimensions.js';
import type { RollupSample } from '../../../lambdas/core/rollups/rollup-sample.js';
import { InMemoryRollups } from '../../support/in-memory-rollups.js';
import { logRecord } from '../../support/request-log-records.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const DAY = 86_400_000;
const RETENTION = { minute: 2, hour: 90, day: 730 };
const silent = { warn() {}, error() {} };

class LogSamples implements RollupSampleSource {
  constructor(private readonly samples: readonly RollupSample[]) {}
  async *readSamples(window: TimeWindow): AsyncIterable<RollupSample[]> {
    const inWindow = this.samples
      .filter((s) => s.createdAtMs >= window.fromMs && s.createdAtMs < window.toMs)
      .sort((a, b) => a.createdAtMs - b.createdAtMs);
    for (let start = 0; start < inWindow.length; start += 7) yield inWindow.slice(start, start + 7);
  }
}

function requests(count: number): RollupSample[] {
  // Two days back and one, across hours, with more users than the guard admits.
  return Array.from({ length: count }, (_, i) =>
    logRecord({
      id: `r${i}`,
      createdAtMs: NOW - 2 * DAY + i * 1_000_000,
      userId: `user-${i % 9}`,
      model: i % 2 ? 'gpt-4o' : 'gpt-4o-mini',
      latencyMs: 40 + i * 3,
      ttftMs: i % 3 ? 12 : null,
      status: i % 10 === 0 ? 429 : 200,
      rateLimited: i % 10 === 0,
      properties: { feature: `f${i % 4}` },
    }),
  );
}

const options = { indexedProperties: ['feature'], maxValuesPerDay: 5, limits: { maxBuckets: 40, maxBinsPerBucket: 150 }, logger: silent };

async function liveAggregation(samples: readonly RollupSample[], maxValuesPerDay = options.maxValuesPerDay): Promise<InMemoryRollups> {
  const store = new InMemoryRollups();
  const aggregator = new StreamAggregator({ ...options, maxValuesPerDay, store });
  const records = samples.map((sample, i) => ({ sequenceNumber: String(100 + i), sample }));
  for (let start = 0; start < records.length; start += 10) await aggregator.applyBatch('shard', records.slice(start, start + 10));
  return store;
}

function rebuildInto(store: InMemoryRollups, samples: readonly RollupSample[], maxValuesPerDay = options.maxValuesPerDay): RollupRebuild {
  return new RollupRebuild({
    samples: new LogSamples(samples),
    store,
    indexedProperties: options.indexedProperties,
    maxValuesPerDay,
    retention: RETENTION,
    logRetentionDays: 30,
    logger: silent,
    now: () => NOW,
  });
}

function bucketsOf(store: InMemoryRollups) {
  return new Map([...store.buckets].map(([id, delta]) => [id, delta.bucket]));
}

describe('the rollups rebuild', () => {
  it('rebuilds past days to exactly what the stream built, and a second run changes nothing', async () => {
    const samples = requests(100);
    const live = await liveAggregation(samples);
    const rebuilt = new InMemoryRollups();
    const rebuild = rebuildInto(rebuilt, samples);
    const days = rebuild.daysBetween('2026-11-29', '2026-11-30');
    const progress: boolean[] = [];
    const summary = await rebuild.rebuild(days, (p) => progress.push(p.dayFinished));
    assert.equal(summary.requests, 100);
    assert.equal(progress.filter(Boolean).length, 2, 'one report closes each day');
    assert.deepEqual(bucketsOf(rebuilt), bucketsOf(live));
    await rebuild.rebuild(days);
    assert.deepEqual(bucketsOf(rebuilt), bucketsOf(live));
  });

  it('repairs days whose buckets lost requests, overwriting what was there', async () => {
    // With no folding: which values the guard admits depends on the order they first came in.
    const samples = requests(60);
    const live = await liveAggregation(samples, 10_000);
    const damaged = await liveAggregation(samples.slice(10), 10_000);
    await rebuildInto(damaged, samples, 10_000).rebuild(['2026-11-29', '2026-11-30']);
    assert.deepEqual(bucketsOf(damaged), bucketsOf(live));
  });

  it('folds values past the day limit into (other), counting every request', async () => {
    const live = await liveAggregation(requests(100));
    const users = [...live.buckets.values()].filter(
      (d) =>
        d.address.time.resolution === 'day' &&
        d.address.series.dimensions.join() === 'user' &&
        d.address.time.startMs === NOW - 2 * DAY - ((NOW - 2 * DAY) % DAY),
    );
    const values = users.map((d) => d.address.series.values[0]);
    assert.equal(values.filter((v) => v !== OTHER_VALUE).length, 5, 'the limit of five users a day');
    assert.ok(values.includes(OTHER_VALUE));
    const all = [...live.buckets.values()].find(
      (d) =>
        d.address.time.resolution === 'day' &&
        d.address.series.dimensions.length === 0 &&
        d.address.time.startMs === users[0]!.address.time.startMs,
    );
    assert.equal(
      users.reduce((sum, d) => sum + d.bucket.counts.requests, 0),
      all!.bucket.counts.requests,
    );
  });

  it('refuses today, a range backwards, and days the log no longer holds whole', () => {
    const rebuild = rebuildInto(new InMemoryRollups(), []);
    assert.throws(() => rebuild.daysBetween('2026-11-30', '2026-12-01'), /still being added to/);
    assert.throws(() => rebuild.daysBetween('2026-11-30', '2026-11-29'), /after/);
    assert.throws(() => rebuild.daysBetween('2026-10-01', '2026-11-29'), /keeps 30 days/);
    assert.deepEqual(rebuild.daysBetween('2026-11-28', '2026-11-30'), ['2026-11-28', '2026-11-29', '2026-11-30']);
  });
});
