import { randomUUID } from 'node:crypto';
import type { QuotaDefinition, QuotaInput } from '../../contract/quota-definition.js';
import { LookoutError } from '../../core/lookout-error.js';
import type { QuotaStore } from '../../core/ports/quota-store.js';

/**
 * Every quota the gateway enforces, as `/v1/quotas` sees them: the config's, read-only, then the
 * API's, which the store keeps. Names are unique across both, so that a 429 naming a quota names
 * one; two writes racing with one new name can both pass the check, which only an admin can do.
 */
export class QuotaCatalog {
  constructor(
    private readonly configQuotas: readonly QuotaDefinition[],
    private readonly store: QuotaStore,
  ) {}

  async list(): Promise<QuotaDefinition[]> {
    return [...this.configQuotas, ...(await this.store.list())];
  }

  async find(id: string): Promise<QuotaDefinition> {
    const quota = this.configQuota(id) ?? (await this.store.get(id));
    if (!quota) throw notFound(id);
    return quota;
  }

  async create(input: QuotaInput): Promise<QuotaDefinition> {
    await this.requireFreeName(input.name);
    const quota: QuotaDefinition = { ...input, id: randomUUID(), source: 'api' };
    await this.store.create(quota);
    return quota;
  }

  async replace(id: string, input: QuotaInput): Promise<QuotaDefinition> {
    this.requireWritable(id);
    await this.requireFreeName(input.name, id);
    const quota: QuotaDefinition = { ...input, id, source: 'api' };
    if (!(await this.store.replace(quota))) throw notFound(id);
    return quota;
  }

  async delete(id: string): Promise<void> {
    this.requireWritable(id);
    if (!(await this.store.delete(id))) throw notFound(id);
  }

  private configQuota(id: string): QuotaDefinition | undefined {
    return this.configQuotas.find((quota) => quota.id === id);
  }

  // 409: the request is well-formed, but the quota's state (where it is defined) forbids it.
  private requireWritable(id: string): void {
    if (this.configQuota(id)) {
      throw new LookoutError(409, 'quota_read_only', `Quota ${id} is defined in lookout.config.ts; change it there and deploy`);
    }
  }

  private async requireFreeName(name: string, exceptId?: string): Promise<void> {
    const holder = (await this.list()).find((quota) => quota.name === name && quota.id !== exceptId);
    if (holder) {
      throw new LookoutError(409, 'quota_name_taken', `Quota ${holder.id} is named "${name}" already; each quota needs its own name`);
    }
  }
}

function notFound(id: string): LookoutError {
  return new LookoutError(404, 'not_found', `No quota ${id}`);
}
