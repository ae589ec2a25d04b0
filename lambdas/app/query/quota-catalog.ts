import type { QuotaDefinition, QuotaInput } from '../../contract/quota-definition.js';
import type { QuotaStore } from '../../core/ports/quota-store.js';
import { DefinitionCatalog } from './definition-catalog.js';

/** Every quota the gateway enforces, as `/v1/quotas` sees them: the config's, read-only, then the API's. */
export type QuotaCatalog = DefinitionCatalog<QuotaInput, QuotaDefinition>;

/** The quotas of the config and of the store, names unique across both (so that a 429 naming a quota names one). */
export function quotaCatalog(configQuotas: readonly QuotaDefinition[], store: QuotaStore): QuotaCatalog {
  return new DefinitionCatalog(configQuotas, store, { noun: 'quota', readOnlyCode: 'quota_read_only', nameTakenCode: 'quota_name_taken' });
}
