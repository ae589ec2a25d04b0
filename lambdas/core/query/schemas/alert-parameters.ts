import * as z from 'zod';
import { alertRuleInputSchema } from '../../../contract/alert-rule.js';
import { describeConfigIssues } from '../../../contract/config-issues.js';
import { LookoutError } from '../../lookout-error.js';
import { limitParameter, pathIdParameter } from './parameter-values.js';
import { queryParameters } from './query-parameters.js';

/** `{id}` of `/v1/alerts/{id}` and the routes under it. */
export const alertIdPath = z.object({
  id: pathIdParameter('alert rule id').meta({ description: 'The rule id: config:<name> for a rule of lookout.config.ts.' }),
});

export const DEFAULT_ALERT_HISTORY_LIMIT = 50;
export const MAX_ALERT_HISTORY_LIMIT = 500;

/** The query of `GET /v1/alerts/{id}/history`. */
export const alertHistoryParameters = queryParameters({
  limit: limitParameter(DEFAULT_ALERT_HISTORY_LIMIT, MAX_ALERT_HISTORY_LIMIT).meta({
    description: `The newest entries to give, ${DEFAULT_ALERT_HISTORY_LIMIT} by default.`,
  }),
});

/**
 * The 400 for a body that is not an alert rule: every problem, each named by its field in the
 * format `lookout.config.ts`'s errors have (`windowSeconds: must be whole seconds from 60 ..., got 10`).
 */
export function invalidAlertBody(body: unknown): LookoutError {
  // What was sent is quoted only when asked for (`reportInput`).
  const parsed = alertRuleInputSchema.safeParse(body, { reportInput: true });
  const problems = parsed.success ? [] : describeConfigIssues(parsed.error.issues).split('\n');
  return new LookoutError(400, 'invalid_alert', problems.map((line) => line.trim()).join('; ') || 'the body is not an alert rule');
}
