/**
 * An alert rule, as `lookout.config.ts` lists it (`alerts`) and `POST /v1/alerts` takes it: one
 * schema, so a rule means the same in both places and a bad field is named the same way.
 */
import * as z from 'zod';
import { definitionNameSchema, withConfigIds, type DefinitionIdentity } from './config-ids.js';
import { METRIC_NAMES } from './metric-names.js';
import { PROPERTY_DIMENSION_PATTERN, PROPERTY_NAME_PATTERN } from './property-names.js';

export const ALERT_COMPARISONS = ['gt', 'gte', 'lt', 'lte'] as const;
export type AlertComparison = (typeof ALERT_COMPARISONS)[number];

export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const MIN_ALERT_WINDOW_SECONDS = 60;
export const MAX_ALERT_WINDOW_SECONDS = 30 * 86_400;

/** The fields of a rule, in the order a message lists them. */
export const ALERT_RULE_FIELDS = [
  'name',
  'metric',
  'comparison',
  'threshold',
  'windowSeconds',
  'minRequests',
  'filter',
  'groupBy',
  'severity',
  'channels',
  'resolveAfterSeconds',
  'renotifyAfterSeconds',
  'forecast',
  'enabled',
] as const;

const metricMessage = `must be one of ${METRIC_NAMES.join(', ')}`;
const windowMessage = `must be whole seconds from ${MIN_ALERT_WINDOW_SECONDS} to ${MAX_ALERT_WINDOW_SECONDS} (30 days)`;
const groupByMessage = 'must be "user", "model", "provider" or "property:<name>" (a lower-case custom property name)';
const urlMessage = 'must be an https URL (http only for a loopback address)';
const propertyNameMessage = "must be a lower-case property name: 1 to 64 letters, digits, '-', '_' or '.'";

function wholeSeconds(min: number, message: string) {
  return z.number({ error: message }).int({ error: message }).min(min, { error: message });
}

/** https, or http to a loopback address (a local receiver under `npm start`). */
export function isAlertTargetUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

const targetUrl = z.string({ error: urlMessage }).refine(isAlertTargetUrl, { error: urlMessage });

function strictFields<T extends z.ZodRawShape>(shape: T, what: string, example: string) {
  const fields = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `is not a field of ${what}; the fields are ${fields}` : `must be ${example}`),
  });
}

export const alertFilterSchema = strictFields(
  {
    properties: z
      .record(z.string().regex(PROPERTY_NAME_PATTERN, { error: propertyNameMessage }), z.string({ error: 'must be a string' }), {
        error: (issue) =>
          issue.code === 'invalid_key'
            ? propertyNameMessage
            : 'must be an object of property values by name, such as { environment: "production" }',
      })
      .optional(),
    userId: z.string({ error: 'must be a string' }).min(1, { error: 'must be a non-empty string' }).optional(),
    model: z.string({ error: 'must be a string' }).min(1, { error: 'must be a non-empty string' }).optional(),
    provider: z.string({ error: 'must be a string' }).min(1, { error: 'must be a non-empty string' }).optional(),
    key: z.string({ error: 'must be a string' }).min(1, { error: 'must be a non-empty string' }).optional(),
  },
  'filter',
  'an object such as { properties: { environment: "production" } }',
);
export type AlertFilter = z.output<typeof alertFilterSchema>;

export const alertChannelsSchema = strictFields(
  {
    /** Publish to the deployment's alerts topic (its subscriptions come from config). */
    sns: z.boolean({ error: 'must be true or false' }).optional(),
    /** Addresses to e-mail through SES, from the configured identity. */
    email: z
      .array(z.email({ error: 'must be an e-mail address' }), { error: 'must be a list of e-mail addresses' })
      .min(1, { error: 'must list at least one address' })
      .optional(),
    /**
     * `true`: the default Slack webhook (in AWS the stack's Slack secret, under `npm start`
     * `LOOKOUT_SLACK_WEBHOOK_URL`); or a webhook URL; or, in AWS, the name of a Secrets Manager
     * secret holding one.
     */
    slack: z.union([z.literal(true), z.string().min(1)], { error: 'must be true, a Slack webhook URL or a secret name' }).optional(),
    /** A URL that gets the notification as JSON, signed in `Lookout-Signature`. */
    webhook: targetUrl.optional(),
  },
  'channels',
  'an object such as { slack: true, email: ["oncall@example.com"] }',
);
export type AlertChannels = z.output<typeof alertChannelsSchema>;

export const alertRuleInputSchema = z
  .strictObject(
    {
      name: definitionNameSchema,
      metric: z.enum(METRIC_NAMES, { error: metricMessage }),
      comparison: z.enum(ALERT_COMPARISONS, { error: 'must be "gt", "gte", "lt" or "lte"' }).default('gt'),
      threshold: z.number({ error: 'must be a number' }).refine(Number.isFinite, { error: 'must be a finite number' }),
      windowSeconds: wholeSeconds(MIN_ALERT_WINDOW_SECONDS, windowMessage).max(MAX_ALERT_WINDOW_SECONDS, { error: windowMessage }),
      minRequests: wholeSeconds(1, 'must be a whole number of requests, 1 or more').default(1),
      filter: alertFilterSchema.default({}),
      groupBy: z
        .string({ error: groupByMessage })
        .refine((value) => ['user', 'model', 'provider'].includes(value) || PROPERTY_DIMENSION_PATTERN.test(value), {
          error: groupByMessage,
        })
        .optional(),
      severity: z.enum(ALERT_SEVERITIES, { error: 'must be "critical", "warning" or "info"' }).default('warning'),
      channels: alertChannelsSchema.refine((channels) => Object.values(channels).some((value) => value !== undefined && value !== false), {
        error: 'must name at least one channel (sns, email, slack or webhook)',
      }),
      /** Seconds without a breach before a firing alert resolves (hysteresis). */
      resolveAfterSeconds: wholeSeconds(0, 'must be whole seconds, 0 or more').default(300),
      /** While firing, notify again this often; never when absent. */
      renotifyAfterSeconds: wholeSeconds(60, 'must be whole seconds, 60 or more').optional(),
      /** For `cost`: fire when the spend projected to the end of the window at the current rate breaches the threshold. */
      forecast: z.boolean({ error: 'must be true or false' }).default(false),
      enabled: z.boolean({ error: 'must be true or false' }).default(true),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `is not an alert rule field; the fields are ${ALERT_RULE_FIELDS.join(', ')}`
          : 'must be an alert rule such as { name: "High error rate", metric: "error_rate", threshold: 5, windowSeconds: 600, channels: { slack: true } }',
    },
  )
  .superRefine((rule, ctx) => {
    if (rule.forecast && rule.metric !== 'cost') {
      ctx.addIssue({ code: 'custom', path: ['forecast'], input: rule.forecast, message: 'applies to the cost metric only' });
    }
    const dimensions = [
      ...Object.keys(rule.filter.properties ?? {}).map((name) => `property:${name}`),
      ...(['userId', 'model', 'provider', 'key'] as const).filter((field) => rule.filter[field] !== undefined),
      ...(rule.groupBy ? [rule.groupBy] : []),
    ];
    if (dimensions.length > 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['filter'],
        // The filter, not the whole rule (the refinement's input), is what a message quotes as sent.
        input: rule.filter,
        message: `names ${dimensions.length} dimensions with groupBy; the rollups keep series of at most two, so a rule filters and groups by two at most`,
      });
    }
  });
export type AlertRuleInput = z.output<typeof alertRuleInputSchema>;

/** A rule with its id: `config:<name>` for one of `lookout.config.ts` (read-only), a generated id for one made through the API. */
export type AlertRule = AlertRuleInput & DefinitionIdentity;

/** The rules of `lookout.config.ts` with their ids (`withConfigIds`): editing a rule keeps its state. */
export function configAlertRules(rules: readonly AlertRuleInput[]): AlertRule[] {
  return withConfigIds(rules);
}

/** The properties a rule filters or groups by: the rollups index them, whatever `indexedProperties` says. */
export function alertRuleProperties(rule: Pick<AlertRuleInput, 'filter' | 'groupBy'>): string[] {
  const names = Object.keys(rule.filter.properties ?? {});
  if (rule.groupBy?.startsWith('property:')) names.push(rule.groupBy.slice('property:'.length));
  return names;
}

/**
 * The properties the rollups keep series for: `indexedProperties` and every property an alert
 * rule filters or groups by, so a rule never watches a series that is not kept.
 */
export function indexedPropertiesOf(
  config: { indexedProperties: readonly string[]; alerts: readonly AlertRuleInput[] },
  apiRules: readonly AlertRuleInput[] = [],
): string[] {
  return [...new Set([...config.indexedProperties, ...[...config.alerts, ...apiRules].flatMap(alertRuleProperties)])];
}
