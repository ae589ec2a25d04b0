import type { AlertComparison, AlertFilter, AlertRule, AlertSeverity } from '../../contract/alert-rule.js';
import type { MetricName } from '../../contract/metric-names.js';

/** Why a notification is sent. */
export type AlertNotificationKind = 'triggered' | 'resolved' | 'reminder' | 'test';

/** One of the top contributors to a breach along one dimension (from the rollups). */
export interface AlertContributor {
  /** The dimension's value; null for requests without one (no user id). */
  value: string | null;
  /** The rule's metric over the window for this value alone. */
  metricValue: number | null;
  requests: number;
}

/** What a notification says, whatever the channel: each channel's renderer words it from this. */
export interface AlertNotification {
  kind: AlertNotificationKind;
  ruleId: string;
  ruleName: string;
  severity: AlertSeverity;
  metric: MetricName;
  /** The metric's unit, as `/v1/metrics` gives it (`percent`, `usd`, `ms`, `requests`, `tokens`). */
  unit: string;
  comparison: AlertComparison;
  threshold: number;
  /** The metric over the window (projected to the window's end for a forecast rule); null without requests. */
  value: number | null;
  /** True when `value` is the cost projected to the end of the window at the current rate. */
  forecast: boolean;
  windowSeconds: number;
  /** Requests in the window (for the group, when the rule has one). */
  requests: number;
  filter: AlertFilter;
  /** The group this notification is about, for a rule with `groupBy`. */
  group: { by: string; value: string | null } | null;
  /** When the breach began (ISO-8601); null for a test. */
  breachStartedAt: string | null;
  /** When this was evaluated (ISO-8601). */
  evaluatedAt: string;
  /** Top five contributors by user, model and each indexed property, highest metric first. */
  contributors: { by: string; top: AlertContributor[] }[];
  /** The dashboard's page of the requests behind it: filter, time range, and `status=error` for error metrics. */
  requestsUrl: string;
}

/** What a notification is built from, besides the rule. */
export interface NotificationFacts {
  kind: AlertNotificationKind;
  value: number | null;
  requests: number;
  group: AlertNotification['group'];
  breachStartedAtMs: number | null;
  nowMs: number;
  contributors: AlertNotification['contributors'];
  requestsUrl: string;
}

/** The notification of a rule: its own fields, and what the evaluation (or a test) found. */
export function alertNotification(rule: AlertRule, unit: string, facts: NotificationFacts): AlertNotification {
  return {
    kind: facts.kind,
    ruleId: rule.id,
    ruleName: rule.name,
    severity: rule.severity,
    metric: rule.metric,
    unit,
    comparison: rule.comparison,
    threshold: rule.threshold,
    value: facts.value,
    forecast: rule.forecast,
    windowSeconds: rule.windowSeconds,
    requests: facts.requests,
    filter: rule.filter,
    group: facts.group,
    breachStartedAt: facts.breachStartedAtMs === null ? null : new Date(facts.breachStartedAtMs).toISOString(),
    evaluatedAt: new Date(facts.nowMs).toISOString(),
    contributors: facts.contributors,
    requestsUrl: facts.requestsUrl,
  };
}
