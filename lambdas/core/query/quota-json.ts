import type { QuotaDefinition } from '../../contract/quota-definition.js';
import type { QuotaJson } from './schemas/quota-json-schemas.js';

/** A quota as the API shows it: a config quota is marked read-only, since only a deploy changes it. */
export function quotaJson({ id, source, name, unit, limit, windowSeconds, scope, match }: QuotaDefinition): QuotaJson {
  return { id, source, readOnly: source === 'config', name, unit, limit, windowSeconds, scope, ...(match && { match }) };
}
