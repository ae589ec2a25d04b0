import { indexedPropertiesOf, type AlertRule } from '../../contract/alert-rule.js';
import { alertNotification } from '../../core/alerts/alert-notification.js';
import { alertRequestsUrl } from '../../core/alerts/alert-requests-link.js';
import type { AlertHistoryEntry } from '../../core/ports/alert-store.js';
import { METRIC_UNITS } from '../../contract/metric-names.js';
import { readRule, topContributors } from '../alerts/alert-observations.js';
import type { QueryRouteContext } from './query-route-context.js';

type DeliveryEntry = Extract<AlertHistoryEntry, { type: 'delivery' }>;

/**
 * Sends a test notification of `rule` to each of its channels and records each delivery in the
 * rule's history, as the evaluator does for a transition (but with no transition: the alert's
 * state is untouched). It carries real figures, read now from the rollups over the rule's window
 * and filter as a whole (no group, even for a rule with `groupBy`), so the message looks as a
 * real one will. A channel that fails is in the answer with its error; it does not fail the call.
 */
export async function sendTestNotification(context: QueryRouteContext, rule: AlertRule, nowMs: number): Promise<DeliveryEntry[]> {
  const { groupBy: _, ...wholeRule } = rule;
  const reading = await readRule(wholeRule, context.rollups, context.rollupRetention, nowMs);
  const observation = reading.observations[0]!;
  const indexedProperties = indexedPropertiesOf(
    { indexedProperties: context.indexedProperties, alerts: context.configAlerts },
    await context.alertRules.list(),
  );
  const notification = alertNotification(rule, METRIC_UNITS[rule.metric], {
    kind: 'test',
    value: observation.value,
    requests: observation.requests,
    group: null,
    breachStartedAtMs: null,
    nowMs,
    contributors: await topContributors(wholeRule, null, reading.tiles, context.rollups, indexedProperties),
    requestsUrl: alertRequestsUrl(context.publicUrl(), {
      metric: rule.metric,
      filter: rule.filter,
      group: null,
      fromMs: reading.window.fromMs,
      toMs: reading.window.toMs,
    }),
  });
  const entries = await context.alertDelivery.deliver(rule, notification);
  await context.alertStates.appendHistory(rule.id, entries);
  return entries.filter((entry): entry is DeliveryEntry => entry.type === 'delivery');
}
