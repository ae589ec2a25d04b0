import type { AlertComparison, AlertRuleInput } from '../../contract/alert-rule.js';

/** Where an alert (a rule, or one group of a rule with `groupBy`) stands. */
export type AlertStatus = 'ok' | 'firing' | 'resolved';

export interface AlertState {
  status: AlertStatus;
  /** When the current or last breach began (epoch ms); null before the first. */
  breachStartedAtMs: number | null;
  /** The last evaluation that found a breach. */
  lastBreachAtMs: number | null;
  /** The last notification sent for it. */
  lastNotifiedAtMs: number | null;
  /** The metric at the last evaluation, and the requests it was over. */
  value: number | null;
  requests: number;
  evaluatedAtMs: number | null;
}

export const INITIAL_ALERT_STATE: AlertState = {
  status: 'ok',
  breachStartedAtMs: null,
  lastBreachAtMs: null,
  lastNotifiedAtMs: null,
  value: null,
  requests: 0,
  evaluatedAtMs: null,
};

/** What one evaluation measured for an alert over its window. */
export interface AlertObservation {
  value: number | null;
  requests: number;
}

export type AlertTransition = 'triggered' | 'resolved' | 'reminder';

export interface AlertStep {
  state: AlertState;
  /** The notification this step sends; null when nothing changed that anyone is told about. */
  notify: AlertTransition | null;
}

type RuleTiming = Pick<AlertRuleInput, 'comparison' | 'threshold' | 'minRequests' | 'resolveAfterSeconds' | 'renotifyAfterSeconds'>;

/** Whether a value breaches the threshold; a window without a value never does. */
export function breaches(value: number | null, comparison: AlertComparison, threshold: number): boolean {
  if (value === null) return false;
  switch (comparison) {
    case 'gt':
      return value > threshold;
    case 'gte':
      return value >= threshold;
    case 'lt':
      return value < threshold;
    case 'lte':
      return value <= threshold;
  }
}

/**
 * The state machine of one alert: `ok` or `resolved` → `firing` when the window has at least
 * `minRequests` and its value breaches; `firing` → `resolved` after `resolveAfterSeconds` with no
 * breach (a window below `minRequests` is no breach, so an alert resolves when traffic stops);
 * while firing, a reminder every `renotifyAfterSeconds`. The hysteresis keeps a value hovering at
 * the threshold from notifying on every evaluation.
 */
export function stepAlert(state: AlertState, observation: AlertObservation, rule: RuleTiming, nowMs: number): AlertStep {
  const breached = observation.requests >= rule.minRequests && breaches(observation.value, rule.comparison, rule.threshold);
  const measured = { ...state, value: observation.value, requests: observation.requests, evaluatedAtMs: nowMs };
  if (state.status !== 'firing') {
    if (!breached) return { state: measured, notify: null };
    return {
      state: { ...measured, status: 'firing', breachStartedAtMs: nowMs, lastBreachAtMs: nowMs, lastNotifiedAtMs: nowMs },
      notify: 'triggered',
    };
  }
  if (breached) {
    const renotify = rule.renotifyAfterSeconds;
    const due = renotify !== undefined && state.lastNotifiedAtMs !== null && nowMs - state.lastNotifiedAtMs >= renotify * 1000;
    return due
      ? { state: { ...measured, lastBreachAtMs: nowMs, lastNotifiedAtMs: nowMs }, notify: 'reminder' }
      : { state: { ...measured, lastBreachAtMs: nowMs }, notify: null };
  }
  const quietForMs = nowMs - (state.lastBreachAtMs ?? nowMs);
  if (quietForMs >= rule.resolveAfterSeconds * 1000) {
    return { state: { ...measured, status: 'resolved', lastNotifiedAtMs: nowMs }, notify: 'resolved' };
  }
  return { state: measured, notify: null };
}
