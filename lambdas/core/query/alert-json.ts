import type { AlertRule } from '../../contract/alert-rule.js';
import type { AlertState } from '../alerts/alert-state.js';
import { alertGroupKey, type AlertHistoryEntry } from '../ports/alert-store.js';
import type {
  AlertGroupJson,
  AlertHistoryEntryJson,
  AlertRuleDetailJson,
  AlertRuleJson,
  AlertRuleWithStateJson,
} from './schemas/alert-json-schemas.js';

type Standing = Omit<AlertGroupJson, 'group'>;

const NOT_FIRING: Standing = { state: 'ok', value: null, requests: null, since: null, evaluatedAt: null };
const STATE_ORDER = { firing: 0, resolved: 1, ok: 2 } as const;

/** A rule as the API shows it: a config rule is marked read-only, since only a deploy changes it. */
export function alertRuleJson(rule: AlertRule): AlertRuleJson {
  const { id, source, name, metric, comparison, threshold, windowSeconds, minRequests, filter, groupBy, severity, channels } = rule;
  const { resolveAfterSeconds, renotifyAfterSeconds, forecast, enabled } = rule;
  return {
    id,
    source,
    readOnly: source === 'config',
    name,
    metric,
    comparison,
    threshold,
    windowSeconds,
    minRequests,
    filter,
    ...(groupBy !== undefined && { groupBy }),
    severity,
    channels,
    resolveAfterSeconds,
    ...(renotifyAfterSeconds !== undefined && { renotifyAfterSeconds }),
    forecast,
    enabled,
  };
}

/**
 * A rule with where it stands, from its states by group key: its own state for a rule without
 * `groupBy`; for one with it, firing if any group fires, else resolved if any has, and the
 * figures of the worst firing group. States that do not fit the rule as it is now (kept from
 * before a `PUT` changed its `groupBy`) are left out.
 */
export function alertRuleDetailJson(rule: AlertRule, states: ReadonlyMap<string, AlertState>): AlertRuleDetailJson {
  const ruleJson = alertRuleJson(rule);
  if (!rule.groupBy) {
    const own = states.get(alertGroupKey(null));
    return { ...ruleJson, ...(own ? standing(own) : NOT_FIRING), groups: [] };
  }
  const groups = [...states]
    .filter(([key]) => key !== alertGroupKey(null))
    .map(([key, state]): AlertGroupJson => ({ group: JSON.parse(key) as string | null, ...standing(state) }))
    .sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || worseFirst(rule, a, b) || compareGroups(a.group, b.group));
  const worst = groups[0];
  const state = worst?.state ?? 'ok';
  const summary = worst?.state === 'firing' ? withoutGroup(worst) : { ...NOT_FIRING, state };
  return { ...ruleJson, ...summary, groups };
}

/** A rule with where it stands, for `GET /v1/alerts` (the detail without its groups). */
export function alertRuleWithStateJson(rule: AlertRule, states: ReadonlyMap<string, AlertState>): AlertRuleWithStateJson {
  const { groups: _, ...withState } = alertRuleDetailJson(rule, states);
  return withState;
}

/** A history line as the API shows it: `at` in ISO-8601 instead of epoch milliseconds. */
export function alertHistoryEntryJson(entry: AlertHistoryEntry): AlertHistoryEntryJson {
  const { atMs, type, ...rest } = entry;
  return { type, at: new Date(atMs).toISOString(), ...rest } as AlertHistoryEntryJson;
}

function standing(state: AlertState): Standing {
  const evaluated = state.evaluatedAtMs !== null;
  return {
    state: state.status,
    value: state.value,
    requests: evaluated ? state.requests : null,
    since: isoOrNull(state.breachStartedAtMs),
    evaluatedAt: isoOrNull(state.evaluatedAtMs),
  };
}

function withoutGroup({ group: _, ...rest }: AlertGroupJson): Standing {
  return rest;
}

/** Furthest past the threshold first: highest for gt/gte, lowest for lt/lte; no value last. */
function worseFirst(rule: Pick<AlertRule, 'comparison'>, a: Standing, b: Standing): number {
  if (a.value === null || b.value === null) return (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0);
  return rule.comparison === 'lt' || rule.comparison === 'lte' ? a.value - b.value : b.value - a.value;
}

function compareGroups(a: string | null, b: string | null): number {
  if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
