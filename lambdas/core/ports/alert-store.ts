import type { AlertRule } from '../../contract/alert-rule.js';
import type { AlertNotificationKind } from '../alerts/alert-notification.js';
import type { AlertState, AlertStatus } from '../alerts/alert-state.js';

/** The rules made through `/v1/alerts` (config rules are in the runtime config). */
export interface AlertRuleStore {
  list(): Promise<AlertRule[]>;
  get(id: string): Promise<AlertRule | null>;
  put(rule: AlertRule): Promise<void>;
  /** False when there was no such rule. */
  delete(id: string): Promise<boolean>;
}

/** An alert's state as stored, with the version its next write is conditioned on. */
export interface StoredAlertState extends AlertState {
  version: number;
}

/** One line of a rule's history: a transition, or what became of one channel's delivery. */
export type AlertHistoryEntry =
  | {
      type: 'transition';
      atMs: number;
      group: string | null;
      kind: AlertNotificationKind;
      status: AlertStatus;
      value: number | null;
      requests: number;
    }
  | {
      type: 'delivery';
      atMs: number;
      group: string | null;
      kind: AlertNotificationKind;
      channel: 'sns' | 'email' | 'slack' | 'webhook';
      /** `recorded`: no server to send to (SNS under `npm start`); the message is kept here instead. */
      outcome: 'delivered' | 'failed' | 'recorded';
      attempts: number;
      error?: string;
      /** What would have been published, for a `recorded` delivery. */
      message?: string;
    };

/** Each alert's state (per group for a rule with `groupBy`) and each rule's history. */
export interface AlertStateStore {
  /** A rule's states by group key (`alertGroupKey`). */
  readStates(ruleId: string): Promise<Map<string, StoredAlertState>>;
  /**
   * Writes a state if it is still at `expectedVersion` (null: there was none), so of two
   * evaluations of the same moment one writes and notifies and the other learns it lost.
   */
  writeState(ruleId: string, groupKey: string, state: AlertState, expectedVersion: number | null): Promise<boolean>;
  appendHistory(ruleId: string, entries: readonly AlertHistoryEntry[]): Promise<void>;
  /** Newest first. */
  readHistory(ruleId: string, limit: number): Promise<AlertHistoryEntry[]>;
}

/** The key of a group's state: the group's value as JSON, or `*` for a rule without `groupBy`. */
export function alertGroupKey(group: { value: string | null } | null): string {
  return group === null ? '*' : JSON.stringify(group.value);
}
