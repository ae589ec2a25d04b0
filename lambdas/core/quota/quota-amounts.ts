import type { QuotaUnit } from '../../contract/quota-definition.js';
import { nanoUsdToUsd } from '../pricing/compute-cost.js';

/**
 * A quota's limit is written in its unit (USD as a number), its counters hold integers
 * (`ports/quota-counters.ts`): USD as nano-USD, as every cost is, so that sums are exact.
 */
const NANO_USD_PER_USD = 1e9;

/** The limit in the counters' integer unit. */
export function limitInCounterUnits(unit: QuotaUnit, limit: number): number {
  return unit === 'usd' ? Math.round(limit * NANO_USD_PER_USD) : limit;
}

/** A counter's integer amount in the quota's unit, for the API edge only (never for arithmetic). */
export function counterAmountInUnit(unit: QuotaUnit, amount: number): number {
  return unit === 'usd' ? nanoUsdToUsd(amount) : amount;
}
