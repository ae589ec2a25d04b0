import type { AlertRule, AlertRuleInput } from '../../contract/alert-rule.js';
import type { AlertRuleStore } from '../../core/ports/alert-store.js';
import { DefinitionCatalog, type DefinitionStore } from './definition-catalog.js';

/** Every alert rule, as `/v1/alerts` sees them: the config's, read-only, then the API's. */
export type AlertRuleCatalog = DefinitionCatalog<AlertRuleInput, AlertRule>;

/** The rules of the config and of the store, names unique across both (so that a notification naming a rule names one). */
export function alertRuleCatalog(configAlerts: readonly AlertRule[], store: AlertRuleStore): AlertRuleCatalog {
  return new DefinitionCatalog(configAlerts, storedRules(store), {
    noun: 'alert rule',
    readOnlyCode: 'alert_read_only',
    nameTakenCode: 'alert_name_taken',
  });
}

/**
 * The rule store as the catalog keeps definitions. Its `put` is an upsert: a new rule's id is a
 * fresh UUID, so creating never overwrites, and a replace checks the rule is there first (a
 * delete landing between the two would be undone; only admins do either).
 */
function storedRules(store: AlertRuleStore): DefinitionStore<AlertRule> {
  return {
    // By name, as the API's quotas are listed: the table keeps them by id, which is random.
    list: async () => (await store.list()).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
    get: async (id) => (await store.get(id)) ?? undefined,
    create: (rule) => store.put(rule),
    replace: async (rule) => {
      if (!(await store.get(rule.id))) return false;
      await store.put(rule);
      return true;
    },
    delete: (id) => store.delete(id),
  };
}
