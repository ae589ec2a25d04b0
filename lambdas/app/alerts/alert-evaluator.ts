import type { AlertRule } from '../../contract/alert-rule.js';
import { alertNotification, type AlertNotification, type AlertNotificationKind } from '../../core/alerts/alert-notification.js';
import { INITIAL_ALERT_STATE, stepAlert, type AlertState } from '../../core/alerts/alert-state.js';
import { alertGroupKey, type AlertHistoryEntry, type AlertStateStore } from '../../core/ports/alert-store.js';

const UNGROUPED_KEY = alertGroupKey(null);
import type { RollupReader } from '../../core/ports/rollup-store.js';
import type { RollupRetentionDays } from '../../core/rollups/rollup-resolution.js';
import { emptyRollupBucket } from '../../core/rollups/rollup-bucket.js';
import { METRIC_UNITS } from '../../contract/metric-names.js';
import { readRule, topContributors, type RuleObservation, type RuleReading } from './alert-observations.js';

/** Sends a notification to a rule's channels; answers what became of each, for the history. */
export interface AlertDelivery {
  deliver(rule: AlertRule, notification: AlertNotification): Promise<AlertHistoryEntry[]>;
}

export interface AlertEvaluatorLogger {
  error(message: string, extra: Record<string, unknown>): void;
}

export interface AlertEvaluatorOptions {
  /** Every rule, config and API, enabled or not. */
  rules(): Promise<AlertRule[]>;
  states: AlertStateStore;
  rollups: RollupReader;
  retention: RollupRetentionDays;
  indexedProperties(): Promise<readonly string[]>;
  delivery: AlertDelivery;
  /** The link to the requests behind a notification. */
  requestsUrl(rule: AlertRule, group: RuleObservation['group'], reading: RuleReading): string;
  now: () => number;
  logger: AlertEvaluatorLogger;
}

export interface EvaluationSummary {
  rules: number;
  notifications: number;
  failedRules: number;
}

/**
 * One evaluation of every enabled rule over the rollups (never the log), run every minute. For
 * each alert (each group of a rule with `groupBy`) it steps the state machine and writes the new
 * state on the condition that it is still the state read: of two runs that overlap, only the one
 * whose write lands notifies. A notification goes out after its state is written, so a run that
 * dies in between loses that one notification rather than sending it twice. A rule that fails
 * is logged and does not stop the others.
 */
export class AlertEvaluator {
  constructor(private readonly options: AlertEvaluatorOptions) {}

  async evaluate(): Promise<EvaluationSummary> {
    const nowMs = this.options.now();
    const rules = (await this.options.rules()).filter((rule) => rule.enabled);
    const summary: EvaluationSummary = { rules: rules.length, notifications: 0, failedRules: 0 };
    for (const rule of rules) {
      try {
        summary.notifications += await this.evaluateRule(rule, nowMs);
      } catch (error) {
        summary.failedRules += 1;
        this.options.logger.error('alerts: a rule could not be evaluated', {
          ruleId: rule.id,
          error: (error as Error)?.stack ?? String(error),
        });
      }
    }
    return summary;
  }

  private async evaluateRule(rule: AlertRule, nowMs: number): Promise<number> {
    const [reading, states] = await Promise.all([
      readRule(rule, this.options.rollups, this.options.retention, nowMs),
      this.options.states.readStates(rule.id),
    ]);
    const observed = new Map(reading.observations.map((observation) => [alertGroupKey(observation.group), observation]));
    // A group seen before and absent now had no requests in the window: that is no breach.
    for (const [key, state] of states) {
      // A state of the rule's other shape (it gained or lost its groupBy since) is not an alert any more.
      if ((key === UNGROUPED_KEY) !== !rule.groupBy) continue;
      if (!observed.has(key) && state.status === 'firing') {
        observed.set(key, { group: groupOfKey(rule, key), value: null, requests: 0, bucket: emptyRollupBucket() });
      }
    }
    let notifications = 0;
    for (const [key, observation] of observed) {
      const stored = states.get(key);
      const step = stepAlert(stored ?? INITIAL_ALERT_STATE, observation, rule, nowMs);
      // Groups that never fired are not stored: a split by user would write every user each minute.
      if (!stored && step.notify === null && rule.groupBy) continue;
      if (!(await this.options.states.writeState(rule.id, key, step.state, stored?.version ?? null))) continue;
      if (step.notify === null) continue;
      notifications += 1;
      await this.notify(rule, step.notify, step.state, observation, reading, nowMs);
    }
    return notifications;
  }

  private async notify(
    rule: AlertRule,
    kind: AlertNotificationKind,
    state: AlertState,
    observation: RuleObservation,
    reading: RuleReading,
    nowMs: number,
  ): Promise<void> {
    const contributors =
      kind === 'resolved'
        ? []
        : await topContributors(rule, observation.group, reading.tiles, this.options.rollups, await this.options.indexedProperties());
    const notification = alertNotification(rule, METRIC_UNITS[rule.metric], {
      kind,
      value: observation.value,
      requests: observation.requests,
      group: observation.group,
      breachStartedAtMs: state.breachStartedAtMs,
      nowMs,
      contributors,
      requestsUrl: this.options.requestsUrl(rule, observation.group, reading),
    });
    const transition: AlertHistoryEntry = {
      type: 'transition',
      atMs: nowMs,
      group: observation.group?.value ?? null,
      kind,
      status: state.status,
      value: observation.value,
      requests: observation.requests,
    };
    const deliveries = await this.options.delivery.deliver(rule, notification);
    await this.options.states.appendHistory(rule.id, [transition, ...deliveries]);
  }
}

function groupOfKey(rule: AlertRule, key: string): RuleObservation['group'] {
  return rule.groupBy ? { by: rule.groupBy, value: JSON.parse(key) as string | null } : null;
}
