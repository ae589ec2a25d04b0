import type { QuotaDefinition } from '../../contract/quota-definition.js';
import type { QuotaLister } from '../../core/ports/quota-store.js';
import type { BurstFailureLog } from './burst-failure-log.js';

/**
 * The quotas the gateway enforces: the config's, always, and those made through `/v1/quotas`,
 * read from the store at most once per `ttlMs` per function instance (as verified keys are), so
 * a quota made or changed through the API applies within that time. One read at a time; while
 * the store fails, the last list read stays in force and the failure is logged once per burst
 * (the list is then retried after another `ttlMs`, not at every request).
 */
export class QuotaDefinitionsSource {
  private apiQuotas: readonly QuotaDefinition[] = [];
  private readAtMs: number | undefined;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly configQuotas: readonly QuotaDefinition[],
    private readonly store: QuotaLister,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly failures: BurstFailureLog,
  ) {}

  async current(requestId: string): Promise<readonly QuotaDefinition[]> {
    const stale = this.readAtMs === undefined || this.now() - this.readAtMs >= this.ttlMs;
    if (stale) {
      // Waited for, so a quota is enforced no later than `ttlMs` after it was made: a request
      // let through on a list known to be stale could spend past a new quota. Once per `ttlMs`
      // that costs one request a Scan; concurrent requests share it.
      this.reading ??= this.read(requestId).finally(() => {
        this.reading = undefined;
      });
      await this.reading;
    }
    return this.apiQuotas.length === 0 ? this.configQuotas : [...this.configQuotas, ...this.apiQuotas];
  }

  private async read(requestId: string): Promise<void> {
    try {
      this.apiQuotas = await this.store.list();
    } catch (error) {
      this.failures.record('list quotas', error, requestId);
    }
    this.readAtMs = this.now();
  }
}
