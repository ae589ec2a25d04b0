import { describeConfigIssues } from '../../contract/config-issues.js';
import { quotaInputSchema, type QuotaDefinition } from '../../contract/quota-definition.js';

/**
 * A quota as an item of the quotas table: its id and its fields. `source` is not stored, since
 * every stored quota is the API's.
 */
export function quotaItem({ source: _source, ...item }: QuotaDefinition): Record<string, unknown> {
  return item;
}

/**
 * The inverse of `quotaItem`, checked as the API checked it on the way in: an item changed by
 * hand into something that is not a quota is an error naming it, never a quota enforced wrongly.
 */
export function quotaFromItem(item: Record<string, unknown>): QuotaDefinition {
  const { id, ...fields } = item;
  if (typeof id !== 'string') throw new Error('an item of the quotas table has no string id');
  const parsed = quotaInputSchema.safeParse(fields, { reportInput: true });
  if (!parsed.success) throw new Error(`the quotas table's item ${id} is not a quota:\n${describeConfigIssues(parsed.error.issues)}`);
  return { ...parsed.data, id, source: 'api' };
}
