import type { QuotaDefinition } from '../../contract/quota-definition.js';

/**
 * The quotas made through `/v1/quotas` (`source: 'api'`); the config's are in the runtime config
 * and never stored. The gateway only lists them, on its request path: that is `QuotaLister`.
 */
export interface QuotaLister {
  list(): Promise<QuotaDefinition[]>;
}

/** The port through which the query API keeps the API's quotas, by id. */
export interface QuotaStore extends QuotaLister {
  get(id: string): Promise<QuotaDefinition | undefined>;
  /** Stores a new quota; its id is new (the API makes it), so an existing one is never overwritten. */
  create(definition: QuotaDefinition): Promise<void>;
  /** Replaces the quota of `definition.id`; false when there is none. */
  replace(definition: QuotaDefinition): Promise<boolean>;
  /** False when there is no quota of `id`. */
  delete(id: string): Promise<boolean>;
}
