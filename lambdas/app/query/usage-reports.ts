import type { RollupReader } from '../../core/ports/rollup-store.js';
import { tiledWindow } from '../../core/query/rollup-window.js';
import type { UserUsage, UserUsageRow } from '../../core/query/schemas/usage-json-schemas.js';
import type { TimeWindow } from '../../core/query/time-window.js';
import { bucketUsageJson, topUsers, type UserOrder } from '../../core/query/usage-totals.js';
import { addBucketInto, emptyRollupBucket, type RollupBucket } from '../../core/rollups/rollup-bucket.js';
import type { RollupRetentionDays } from '../../core/rollups/rollup-resolution.js';
import { mergedGroups } from './rollup-group-reads.js';

/** Where the usage reports read: the rollups, as of `nowMs`. */
export interface UsageReads {
  rollups: RollupReader;
  retention: RollupRetentionDays;
  nowMs: number;
}

/**
 * Top users by cost, requests or errors in a window, from the rollups' per-user series: one group
 * read per tile of the window (whole days and hours as one bucket each), merged per user.
 * Requests without a user id are no user's.
 */
export async function rankUsers(
  reads: UsageReads,
  window: TimeWindow,
  limit: number,
  orderBy: UserOrder,
): Promise<{ from: string; to: string; users: UserUsageRow[] }> {
  const tiled = tiledWindow(window, reads.nowMs, reads.retention);
  const byUser = new Map<string, RollupBucket>();
  for (const [userId, bucket] of await mergedGroups(reads.rollups, tiled.tiles, ['user'], new Map(), 'user')) {
    if (userId !== null) byUser.set(userId, bucket);
  }
  return { ...windowJson(tiled.window), users: topUsers(byUser, limit, orderBy) };
}

/** One user's totals in a window (all zero when the user made no requests): the user's series, one bucket per tile. */
export async function readUserUsage(reads: UsageReads, userId: string, window: TimeWindow): Promise<UserUsage> {
  const tiled = tiledWindow(window, reads.nowMs, reads.retention);
  const series = { dimensions: ['user' as const], values: [userId] };
  const merged = emptyRollupBucket();
  for (const bucket of await reads.rollups.readBuckets(tiled.tiles.map((time) => ({ time, series })))) {
    if (bucket) addBucketInto(merged, bucket);
  }
  return {
    userId,
    ...windowJson(tiled.window),
    ...bucketUsageJson(merged),
    lastSeenAt: merged.lastRequestAtMs === null ? null : new Date(merged.lastRequestAtMs).toISOString(),
  };
}

function windowJson(window: TimeWindow): { from: string; to: string } {
  return { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() };
}
