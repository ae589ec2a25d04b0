import type { QuotaDefinition } from '../../contract/quota-definition.js';
import type { GatewayKeyStore } from '../../core/ports/gateway-key-store.js';
import type { QuotaCounters } from '../../core/ports/quota-counters.js';
import { keyByNameOrPrefix } from '../../core/query/key-by-name.js';
import { quotaJson } from '../../core/query/quota-json.js';
import type { QuotaUsageJson } from '../../core/query/schemas/quota-json-schemas.js';
import { quotaCounterKey } from '../../core/quota/counter-keys.js';
import { counterAmountInUnit, limitInCounterUnits } from '../../core/quota/quota-amounts.js';

/** What reading one counter needs: the counters, and the keys a `key` scope is named by. */
export interface QuotaUsageReads {
  quotaCounters: Pick<QuotaCounters, 'read'>;
  keys: Pick<GatewayKeyStore, 'list'>;
}

/**
 * The counter `quota` keeps for `scopeValue`, in the quota's unit. The gateway counts a `key`
 * quota per key hash, which no caller knows; the caller names the key instead (`keyByNameOrPrefix`).
 */
export async function readQuotaUsage(
  reads: QuotaUsageReads,
  quota: QuotaDefinition,
  scopeValue: string,
  nowMs: number,
): Promise<QuotaUsageJson> {
  const counted = quota.scope === 'key' ? keyByNameOrPrefix(await reads.keys.list(), scopeValue, 'scopeValue').keyHash : scopeValue;
  const usage = await reads.quotaCounters.read(
    { counterKey: quotaCounterKey(quota.id, counted), windowSeconds: quota.windowSeconds },
    nowMs,
  );
  const inUnit = (amount: number) => counterAmountInUnit(quota.unit, amount);
  const remaining = Math.max(0, limitInCounterUnits(quota.unit, quota.limit) - usage.used - usage.reserved);
  return {
    quota: quotaJson(quota),
    scopeValue,
    used: inUnit(usage.used),
    reserved: inUnit(usage.reserved),
    limit: quota.limit,
    remaining: inUnit(remaining),
    windowEnd: new Date(usage.resetAtMs).toISOString(),
  };
}
