import type { QuotaDefinition } from '../../lambdas/contract/quota-definition.js';
import type { CounterUsage, QuotaCounters, QuotaWindow } from '../../lambdas/core/ports/quota-counters.js';
import type { QuotaStore } from '../../lambdas/core/ports/quota-store.js';

/** The API's quotas in a map: a second implementation of the `QuotaStore` port, for unit tests. */
export class InMemoryQuotaStore implements QuotaStore {
  readonly quotas = new Map<string, QuotaDefinition>();

  async list(): Promise<QuotaDefinition[]> {
    return [...this.quotas.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<QuotaDefinition | undefined> {
    return this.quotas.get(id);
  }

  async create(definition: QuotaDefinition): Promise<void> {
    if (this.quotas.has(definition.id)) throw Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' });
    this.quotas.set(definition.id, definition);
  }

  async replace(definition: QuotaDefinition): Promise<boolean> {
    if (!this.quotas.has(definition.id)) return false;
    this.quotas.set(definition.id, definition);
    return true;
  }

  async delete(id: string): Promise<boolean> {
    return this.quotas.delete(id);
  }
}

/** Counters as a test sets them, by counter key; one never set counts nothing. Reads are recorded. */
export class FixedCounterReads implements Pick<QuotaCounters, 'read'> {
  readonly counters = new Map<string, CounterUsage>();
  readonly reads: Omit<QuotaWindow, 'limit'>[] = [];

  async read(window: Omit<QuotaWindow, 'limit'>, nowMs: number): Promise<CounterUsage> {
    this.reads.push(window);
    return this.counters.get(window.counterKey) ?? { used: 0, reserved: 0, resetAtMs: nowMs + window.windowSeconds * 1000 };
  }
}
