import * as z from 'zod';
import { alertRuleInputSchema } from '../../../contract/alert-rule.js';

/**
 * The JSON of `/v1/alerts`. The body of `POST` and `PUT` is the alert rule schema of
 * `lookout.config.ts` itself, so a rule means the same and is refused the same in both places.
 */

export const alertRuleBodySchema = alertRuleInputSchema.meta({
  id: 'AlertRuleInput',
  description:
    'An alert rule: fire when metric over the last windowSeconds compares (comparison, gt by default) to threshold, in a ' +
    'window of at least minRequests requests; filter narrows the traffic it watches (properties, userId, model, provider, ' +
    'key), groupBy splits it into one alert per user, model, provider or property value (filter and groupBy name two ' +
    'dimensions at most). It notifies its channels (sns, email, slack, webhook) when it fires, when it resolves after ' +
    'resolveAfterSeconds without a breach, and every renotifyAfterSeconds while firing. Fields left out take their defaults; ' +
    'unknown fields are refused.',
  examples: [
    {
      name: 'Production error rate',
      metric: 'error_rate',
      threshold: 5,
      windowSeconds: 600,
      minRequests: 10,
      filter: { properties: { environment: 'production' } },
      severity: 'critical',
      channels: { slack: true, email: ['oncall@example.com'] },
    },
  ],
});

const { shape } = alertRuleInputSchema;

const status = z.enum(['ok', 'firing', 'resolved']);
const instantOrNull = z.iso.datetime().nullable();

/** A rule as the API shows it: its fields with their defaults, its id, and where it comes from. */
export const alertRuleJsonSchema = z
  .object({
    id: z.string().meta({ description: 'config:<name> for a rule of lookout.config.ts; a generated id for one made here.' }),
    source: z.enum(['config', 'api']).meta({ description: 'Where the rule is defined: lookout.config.ts, or this API.' }),
    readOnly: z.boolean().meta({ description: 'True for a config rule: it is changed in lookout.config.ts and deployed, never here.' }),
    name: shape.name,
    metric: shape.metric.meta({ description: 'What is watched, as GET /v1/metrics names it.' }),
    comparison: shape.comparison
      .unwrap()
      .meta({ description: 'How value is compared to threshold: it breaches when value gt (>), gte, lt or lte threshold.' }),
    threshold: shape.threshold.meta({ description: "In the metric's unit: percent, usd, ms, requests or tokens." }),
    windowSeconds: shape.windowSeconds.meta({
      description: 'The window the metric is measured over, ending now (a forecast: the calendar window so far).',
    }),
    minRequests: shape.minRequests.unwrap().meta({ description: 'A window with fewer requests never breaches.' }),
    filter: shape.filter.unwrap().meta({ description: 'The traffic watched: custom properties, userId, model, provider, key.' }),
    groupBy: shape.groupBy.meta({ description: 'One alert per user, model, provider or property:<name> value; absent: one alert.' }),
    severity: shape.severity.unwrap(),
    channels: shape.channels.meta({
      description:
        'Where notifications go: sns (the alerts topic), email (addresses), slack (true: the default webhook; or a URL or secret name), webhook (a signed POST).',
    }),
    resolveAfterSeconds: shape.resolveAfterSeconds
      .unwrap()
      .meta({ description: 'Seconds without a breach before a firing alert resolves.' }),
    renotifyAfterSeconds: shape.renotifyAfterSeconds.meta({ description: 'While firing, notify again this often; absent: never.' }),
    forecast: shape.forecast
      .unwrap()
      .meta({ description: 'cost only: fire on the spend projected to the end of the window at the current rate.' }),
    enabled: shape.enabled.unwrap().meta({ description: 'A disabled rule is not evaluated (and can still be tested).' }),
  })
  .meta({ id: 'AlertRule' });
export type AlertRuleJson = z.output<typeof alertRuleJsonSchema>;

/** Where one alert stands: a rule without groupBy, or one group of a rule with it. */
const stateDescription =
  'ok: has not fired; firing: breaching; resolved: fired, then went resolveAfterSeconds without a breach (until it fires again).';
const alertStandingShape = {
  state: status.meta({ description: stateDescription }),
  value: z
    .number()
    .nullable()
    .meta({ description: 'The metric at the last evaluation, in its unit; null without requests (or never evaluated).' }),
  requests: z.int().nullable().meta({ description: 'The requests in the window at the last evaluation; null when never evaluated.' }),
  since: instantOrNull.meta({ description: 'When the current breach began, or the last one once resolved; null before the first.' }),
  evaluatedAt: instantOrNull.meta({ description: 'The last evaluation (the evaluator runs every minute); null before the first.' }),
};

/** One group's alert, for a rule with groupBy. */
export const alertGroupJsonSchema = z
  .object({
    group: z
      .string()
      .nullable()
      .meta({ description: 'The groupBy value (a user id, model, provider or property value); null for requests without one.' }),
    ...alertStandingShape,
  })
  .meta({ id: 'AlertGroup' });
export type AlertGroupJson = z.output<typeof alertGroupJsonSchema>;

const summaryDescription =
  'For a rule with groupBy: state is firing when any group fires, else resolved when any has resolved, else ok; value, ' +
  'requests, since and evaluatedAt are those of the worst firing group (the first of groups), all null when none fires.';

/** A rule's standing as a whole: its own state, or the summary of its groups'. */
const alertSummaryShape = {
  state: status.meta({ description: `${stateDescription} ${summaryDescription}` }),
  value: alertStandingShape.value,
  requests: alertStandingShape.requests,
  since: alertStandingShape.since,
  evaluatedAt: alertStandingShape.evaluatedAt,
};

/** A rule in `GET /v1/alerts`: its fields and where it stands. */
export const alertRuleWithStateSchema = alertRuleJsonSchema.extend(alertSummaryShape).meta({ id: 'AlertRuleWithState' });
export type AlertRuleWithStateJson = z.output<typeof alertRuleWithStateSchema>;

/** `GET /v1/alerts`. */
export const alertRuleListSchema = z
  .object({
    alerts: z.array(alertRuleWithStateSchema).meta({ description: "The config's rules in their order, then the API's by name." }),
  })
  .meta({ id: 'AlertRuleList' });

/** `GET /v1/alerts/{id}`: the rule, where it stands, and each group's alert. */
export const alertRuleDetailSchema = alertRuleWithStateSchema
  .extend({
    groups: z.array(alertGroupJsonSchema).meta({
      description:
        'For a rule with groupBy, each group that has fired (groups that never fired are not kept): firing first, the worst ' +
        '(furthest past the threshold) first, then resolved, then ok. Empty for a rule without groupBy.',
    }),
  })
  .meta({ id: 'AlertRuleDetail' });
export type AlertRuleDetailJson = z.output<typeof alertRuleDetailSchema>;

const kind = z.enum(['triggered', 'resolved', 'reminder', 'test']).meta({
  description: 'Why it was sent: the alert fired, resolved, is still firing (renotifyAfterSeconds), or POST /v1/alerts/{id}/test.',
});
const channel = z.enum(['sns', 'email', 'slack', 'webhook']);
const outcome = z.enum(['delivered', 'failed', 'recorded']).meta({
  description: 'recorded: there was no server to send to (SNS under npm start); the message is kept in the history instead.',
});
const attempts = z.int().meta({ description: 'The sends tried: the first and its retries.' });
const deliveryError = z.string().optional().meta({ description: 'Why the last attempt failed, for a failed delivery.' });

/** One line of a rule's history. */
export const alertHistoryEntrySchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('transition'),
      at: z.iso.datetime(),
      group: z.string().nullable().meta({ description: 'The group, for a rule with groupBy; null otherwise.' }),
      kind,
      status: status.meta({ description: 'The state it moved to.' }),
      value: z.number().nullable(),
      requests: z.int(),
    }),
    z.object({
      type: z.literal('delivery'),
      at: z.iso.datetime(),
      group: z.string().nullable(),
      kind,
      channel,
      outcome,
      attempts,
      error: deliveryError,
      message: z.string().optional().meta({ description: 'What would have been published, for a recorded delivery.' }),
    }),
  ])
  .meta({ id: 'AlertHistoryEntry' });
export type AlertHistoryEntryJson = z.output<typeof alertHistoryEntrySchema>;

/** `GET /v1/alerts/{id}/history`. */
export const alertHistorySchema = z
  .object({
    history: z.array(alertHistoryEntrySchema).meta({
      description: "Newest first: each transition, and each channel's delivery of each notification (kept 90 days).",
    }),
  })
  .meta({ id: 'AlertHistory' });

/** `POST /v1/alerts/{id}/test`: what became of the test notification on each channel. */
export const alertTestResultSchema = z
  .object({
    deliveries: z.array(z.object({ channel, outcome, attempts, error: deliveryError })).meta({
      description: 'One per channel of the rule; a channel that failed is here with its error, the others are still sent.',
    }),
  })
  .meta({ id: 'AlertTestResult' });
export type AlertTestResultJson = z.output<typeof alertTestResultSchema>;
