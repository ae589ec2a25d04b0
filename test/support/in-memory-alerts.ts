import type { AlertDelivery } from '../../lambdas/app/alerts/alert-evaluator.js';
import type { AlertRule } from '../../lambdas/contract/alert-rule.js';
import type { AlertNotification } from '../../lambdas/core/alerts/alert-notification.js';
import type { AlertState } from '../../lambdas/core/alerts/alert-state.js';
import type { AlertHistoryEntry, AlertRuleStore, AlertStateStore, StoredAlertState } from '../../lambdas/core/ports/alert-store.js';

/** The alert stores in maps, for unit tests; a state write checks its version as the table's condition does. */
export class InMemoryAlerts implements AlertRuleStore, AlertStateStore {
  readonly rules = new Map<string, AlertRule>();
  readonly states = new Map<string, Map<string, StoredAlertState>>();
  readonly history = new Map<string, AlertHistoryEntry[]>();

  async list(): Promise<AlertRule[]> {
    return [...this.rules.values()];
  }
  async get(id: string): Promise<AlertRule | null> {
    return this.rules.get(id) ?? null;
  }
  async put(rule: AlertRule): Promise<void> {
    this.rules.set(rule.id, rule);
  }
  async delete(id: string): Promise<boolean> {
    return this.rules.delete(id);
  }

  async readStates(ruleId: string): Promise<Map<string, StoredAlertState>> {
    return new Map(this.states.get(ruleId) ?? []);
  }

  async writeState(ruleId: string, groupKey: string, state: AlertState, expectedVersion: number | null): Promise<boolean> {
    let rule = this.states.get(ruleId);
    if (!rule) this.states.set(ruleId, (rule = new Map()));
    const current = rule.get(groupKey);
    if ((current?.version ?? null) !== expectedVersion) return false;
    rule.set(groupKey, { ...state, version: (expectedVersion ?? 0) + 1 });
    return true;
  }

  async appendHistory(ruleId: string, entries: readonly AlertHistoryEntry[]): Promise<void> {
    this.history.set(ruleId, [...(this.history.get(ruleId) ?? []), ...entries]);
  }

  async readHistory(ruleId: string, limit: number): Promise<AlertHistoryEntry[]> {
    return [...(this.history.get(ruleId) ?? [])].sort((a, b) => b.atMs - a.atMs).slice(0, limit);
  }
}

type DeliveryEntry = Extract<AlertHistoryEntry, { type: 'delivery' }>;
type Channel = DeliveryEntry['channel'];

/**
 * A delivery that sends nothing: it records each notification and answers one delivered entry per
 * channel of the rule, or a failed one with the error a test sets for that channel (`failing`).
 */
export class RecordingAlertDelivery implements AlertDelivery {
  readonly sent: { rule: AlertRule; notification: AlertNotification }[] = [];
  readonly failing = new Map<Channel, string>();

  constructor(private readonly now: () => number = Date.now) {}

  async deliver(rule: AlertRule, notification: AlertNotification): Promise<AlertHistoryEntry[]> {
    this.sent.push({ rule, notification });
    const channels = (['sns', 'email', 'slack', 'webhook'] as const).filter((channel) => rule.channels[channel]);
    return channels.map((channel): DeliveryEntry => {
      const base = {
        type: 'delivery',
        atMs: this.now(),
        group: notification.group?.value ?? null,
        kind: notification.kind,
        channel,
      } as const;
      const error = this.failing.get(channel);
      return error === undefined ? { ...base, outcome: 'delivered', attempts: 1 } : { ...base, outcome: 'failed', attempts: 3, error };
    });
  }
}
