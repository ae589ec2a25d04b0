import type { QuotaDefinition } from '../../contract/quota-definition.js';
import type { QuotaCounters } from '../../core/ports/quota-counters.js';
import type { UserRankingRow, UserUsageRow } from '../../core/query/schemas/usage-json-schemas.js';
import { readQuotaUsage } from './quota-usage.js';

/**
 * The users ranking with each user's live quota use: every user-scoped quota whose counter holds
 * something for them now, and the flags of the guide's abuse check (over a quota now, or refused
 * in the range). One counter read per user and quota, all at once: the ranking is bounded by its
 * `limit`, and only user-scoped quotas are read.
 */
export async function withQuotaUse(
  rows: readonly UserUsageRow[],
  quotas: readonly QuotaDefinition[],
  counters: Pick<QuotaCounters, 'read'>,
  nowMs: number,
): Promise<UserRankingRow[]> {
  const perUser = quotas.filter((quota) => quota.scope === 'user');
  // No key-scoped quota is read here, so no key lookup is ever needed.
  const reads = { quotaCounters: counters, keys: { list: async () => [] } };
  return Promise.all(
    rows.map(async (row) => {
      const uses = await Promise.all(perUser.map((quota) => readQuotaUsage(reads, quota, row.userId, nowMs)));
      const quotaUses = uses.filter((use) => use.used + use.reserved > 0).map(({ scopeValue: _scopeValue, ...use }) => use);
      const overQuota = quotaUses.some((use) => use.remaining <= 0);
      return { ...row, quotas: quotaUses, overQuota, flagged: overQuota || row.rateLimitedRequests > 0 };
    }),
  );
}
