/**
 * The deployment config, `lookout.config.ts`: the runtime config (runtime-config-schema.ts) plus
 * the fields only a deployment needs. The CDK app, `npm start` and the command-line tools all
 * validate it with this one schema (lookout-config-file.ts reads the file).
 */
import * as z from 'zod';
import { describeConfigIssues } from './config-issues.js';
import { RESERVED_PROVIDER_NAMES } from './routes.js';
import { defaultProviders, runtimeConfigSchema, type RuntimeConfigInput } from './runtime-config-schema.js';

/** The retention periods CloudWatch Logs accepts (days); anything else fails at deploy time. */
export const logRetentionDayValues = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The gateway Lambda and its streaming integration both stop at 15 minutes (Lambda's maximum). */
export const gatewayMaxDurationMs = 15 * 60 * 1000;

/**
 * Lambda caps all environment variables of a function at 4 KB together; the runtime config shares
 * that budget with the other variables. The query API has the most: seven table and bucket names
 * and, for its test notification, the topic's and both secrets' ARNs (over 100 characters each),
 * the sender and the public URL, about 1.2 KB deployed; so the runtime config gets 2.5 KB.
 */
export const runtimeConfigMaxJsonBytes = 2.5 * 1024;

/**
 * Where the response cache lives in AWS. `dynamodb`: a table (no VPC, no fixed cost). `valkey`:
 * ElastiCache Serverless, which is reachable only inside a VPC, so the gateway runs in one.
 */
export const cacheBackends = ['dynamodb', 'valkey'] as const;
export type CacheBackend = (typeof cacheBackends)[number];

/**
 * The availability zones of the Valkey backend's VPC. The stacks are environment-agnostic (no
 * region lookup), and then the CDK knows two zones of any region; so at most one NAT gateway each.
 */
export const valkeyNetworkAvailabilityZones = 2;

/** ElastiCache Serverless's own ranges for the usage limits; anything else fails at deploy time. */
export const valkeyLimitRanges = {
  maxDataStorageGb: { min: 1, max: 5000 },
  maxEcpuPerSecond: { min: 1000, max: 15_000_000 },
} as const;

const runtimeFields = runtimeConfigSchema.shape;

/** A whole number from `min` to `max`, with the message a config author reads. */
function wholeNumberInRange({ min, max }: { readonly min: number; readonly max: number }, unit: string, whose: string) {
  const error = `must be a whole number of ${unit} from ${min} to ${max} (${whose})`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

const logRetentionMessage = `must be one of the values CloudWatch Logs accepts: ${logRetentionDayValues.join(', ')}`;
const stageNameMessage = 'must be 1 to 128 letters, digits, `-` or `_`';
const cacheBackendMessage = `must be one of ${cacheBackends.map((name) => `"${name}"`).join(', ')}`;

/**
 * ElastiCache Serverless's usage limits, which bound its bill. A full cache evicts the least recently
 * used entries (every entry has a TTL, so every one may go), and a cache over its ECPU rate
 * throttles, which the gateway outwaits by `cacheTimeoutMs` and then answers uncached.
 */
const valkeyLimitsSchema = z.strictObject(
  {
    /** Most GB the cache may hold: 1 GB is a thousand 1 MiB answers or a hundred thousand 10 KB ones. */
    maxDataStorageGb: wholeNumberInRange(valkeyLimitRanges.maxDataStorageGb, 'GB', "ElastiCache Serverless's range").default(1),
    /** Most ECPUs a second (one per KB read or written): a few hundred cache lookups and writes a second. */
    maxEcpuPerSecond: wholeNumberInRange(valkeyLimitRanges.maxEcpuPerSecond, 'ECPUs a second', "ElastiCache Serverless's range").default(
      5000,
    ),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? 'is not a valkeyLimits field; the fields are maxDataStorageGb, maxEcpuPerSecond'
        : 'must be an object such as { maxDataStorageGb: 1, maxEcpuPerSecond: 5000 }',
  },
);

/** The protocols the alerts topic can deliver to straight from config. */
export const alertTopicProtocols = ['email', 'sms', 'https'] as const;
export type AlertTopicProtocol = (typeof alertTopicProtocols)[number];

const e164Pattern = /^\+[1-9][0-9]{1,14}$/;
const emailAddressSchema = z.email();

function isHttpsUrl(value: string): boolean {
  return URL.canParse(value) && new URL(value).protocol === 'https:';
}

/** What a subscription's endpoint must be, by protocol. */
const alertTopicEndpoints: Record<AlertTopicProtocol, { readonly test: (value: string) => boolean; readonly message: string }> = {
  email: { test: (value) => emailAddressSchema.safeParse(value).success, message: 'must be an e-mail address with protocol "email"' },
  sms: {
    test: (value) => e164Pattern.test(value),
    message: 'must be a phone number in E.164 form, such as +14155550100, with protocol "sms"',
  },
  https: { test: isHttpsUrl, message: 'must be an https URL with protocol "https"' },
};

/**
 * One subscriber of the alerts topic: every notification of a rule with `sns: true` reaches it.
 * SNS asks an e-mail or https subscriber to confirm before it delivers anything.
 */
const alertTopicSubscriptionSchema = z
  .strictObject(
    {
      protocol: z.enum(alertTopicProtocols, { error: 'must be "email", "sms" or "https"' }),
      endpoint: z.string({ error: 'must be a string: an e-mail address, an E.164 phone number or an https URL' }),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? 'is not a subscription field; the fields are protocol, endpoint'
          : 'must be a subscription such as { protocol: "email", endpoint: "oncall@example.com" }',
    },
  )
  .superRefine((subscription, ctx) => {
    const endpoint = alertTopicEndpoints[subscription.protocol];
    if (!endpoint.test(subscription.endpoint)) {
      ctx.addIssue({ code: 'custom', path: ['endpoint'], input: subscription.endpoint, message: endpoint.message });
    }
  });
export type AlertTopicSubscription = z.output<typeof alertTopicSubscriptionSchema>;

const alertEmailFromMessage =
  'must be the e-mail address alert e-mails come from, such as alerts@example.com or "Lookout <alerts@example.com>", an address SES has verified or one of a domain it has';
const namedAddressPattern = /^[^<>]*<([^<>\s]+)>$/;

/**
 * The address of an `alertEmailFrom` (`alerts@example.com`, or `Lookout <alerts@example.com>`);
 * undefined when it is neither.
 */
export function alertEmailAddress(from: string): string | undefined {
  const address = namedAddressPattern.exec(from.trim())?.[1] ?? from.trim();
  return emailAddressSchema.safeParse(address).success ? address : undefined;
}

const alertEmailFromSchema = z
  .string({ error: alertEmailFromMessage })
  .refine((value) => alertEmailAddress(value) !== undefined, { error: alertEmailFromMessage });

const publicUrlMessage = 'must be an https URL such as https://lookout.example.com/ (where the dashboard and the API are reached)';

export const lookoutConfigSchema = z
  .strictObject(
    {
      ...runtimeFields,
      /**
       * Extra or overridden providers by name; `openai` and `anthropic` are always present and point
       * at the real APIs unless overridden here. Each gets the route `/<name>/v1/*`.
       */
      providers: runtimeFields.providers.optional().transform((configured) => ({
        ...defaultProviders,
        ...configured,
      })),
      /** Retention of every Lambda's CloudWatch log group, in days. */
      logRetentionDays: z
        .number({ error: logRetentionMessage })
        .refine((days) => (logRetentionDayValues as readonly number[]).includes(days), { error: logRetentionMessage })
        .default(30),
      /** The API Gateway stage, the first path segment of the API URL. */
      stageName: z
        .string({ error: stageNameMessage })
        .regex(/^[A-Za-z0-9_-]{1,128}$/, { error: stageNameMessage })
        .default('prod'),
      /** Where the response cache lives in AWS; `npm start` picks by `LOOKOUT_REDIS_URL` instead. */
      cacheBackend: z.enum(cacheBackends, { error: cacheBackendMessage }).default('dynamodb'),
      /**
       * NAT gateways of the Valkey backend's VPC, through which the gateway reaches the providers:
       * one is cheapest, two keep the gateway up when a zone is down. Unused with `dynamodb`.
       */
      natGateways: wholeNumberInRange(
        { min: 0, max: valkeyNetworkAvailabilityZones },
        'NAT gateways',
        "one per availability zone of the VPC's two",
      ).default(1),
      /** The Valkey backend's usage limits. Unused with `dynamodb`. */
      valkeyLimits: valkeyLimitsSchema.prefault({}),
      /**
       * Who the alerts topic delivers to: every notification of a rule with `sns: true`. Each
       * subscriber added gets SNS's confirmation message first (e-mail, https); one removed here is
       * unsubscribed by the next deploy.
       */
      alertTopicSubscriptions: z
        .array(alertTopicSubscriptionSchema, {
          error: 'must be a list of subscriptions such as [{ protocol: "email", endpoint: "oncall@example.com" }]',
        })
        .default([]),
      /**
       * The address alert e-mails come from (`alerts@example.com` or `Lookout <alerts@example.com>`):
       * one SES has verified, or one of a verified domain. The functions may send from that address's
       * identity and its domain's and from nothing else. Needed by any rule with an `email` channel.
       */
      alertEmailFrom: alertEmailFromSchema.optional(),
      /**
       * Where people reach the deployment (a custom domain in front of the API), the base of the
       * links in notifications; the API's own URL unless set.
       */
      publicUrl: z.string({ error: publicUrlMessage }).refine(isHttpsUrl, { error: publicUrlMessage }).optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `is not a config field; the fields are ${configFieldNames().join(', ')}`
          : 'must be an object: `export default defineConfig({ ... })`',
    },
  )
  .superRefine((config, ctx) => {
    for (const name of Object.keys(config.providers)) {
      if (RESERVED_PROVIDER_NAMES.includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['providers', name],
          message: `"${name}" is reserved for a built-in route (${RESERVED_PROVIDER_NAMES.join(', ')}); choose another provider name`,
        });
      }
    }
    addDuplicateNameIssues(config.quotas, 'quotas', "a quota's id is config:<name>", ctx);
    addDuplicateNameIssues(config.alerts, 'alerts', "an alert rule's id is config:<name>", ctx);
    addDuplicateSubscriptionIssues(config.alertTopicSubscriptions, ctx);
    if (config.alertEmailFrom === undefined) {
      config.alerts.forEach((rule, index) => {
        if (rule.channels.email === undefined) return;
        ctx.addIssue({
          code: 'custom',
          path: ['alerts', index, 'channels', 'email'],
          input: rule.channels.email,
          message: `needs alertEmailFrom, the SES-verified address alert e-mails come from (rule "${rule.name}")`,
        });
      });
    }
    if (config.upstreamTimeoutMs >= gatewayMaxDurationMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['upstreamTimeoutMs'],
        input: config.upstreamTimeoutMs,
        message: `must be less than ${gatewayMaxDurationMs} (the gateway Lambda's 15-minute limit)`,
      });
    }
    if (config.cacheBackend === 'valkey' && config.natGateways === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['natGateways'],
        input: config.natGateways,
        message:
          'must be 1 or more with cacheBackend "valkey" (the gateway then runs in private subnets and reaches the providers through a NAT gateway)',
      });
    }
    // This refinement also runs beside a field's own (non-fatal) issue; those are reported already.
    const runtime = runtimeConfigSchema.safeParse(config);
    if (!runtime.success) return;
    const runtimeJsonBytes = Buffer.byteLength(JSON.stringify(runtime.data));
    if (runtimeJsonBytes > runtimeConfigMaxJsonBytes) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `the runtime part of the config is ${runtimeJsonBytes} bytes as JSON, more than the ${runtimeConfigMaxJsonBytes} that fit in a Lambda environment variable; trim prices or providers, or make alert rules through /v1/alerts instead`,
      });
    }
  });

/**
 * A config quota's or alert rule's id is `config:<name>`, so two of one name would share an id
 * (and a quota its counters, a rule its state): each later one is named, with the first that has its name.
 */
function addDuplicateNameIssues(entries: readonly { name: string }[], field: 'quotas' | 'alerts', why: string, ctx: z.RefinementCtx): void {
  const firstIndexByName = new Map<string, number>();
  entries.forEach(({ name }, index) => {
    const first = firstIndexByName.get(name);
    if (first === undefined) {
      firstIndexByName.set(name, index);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: [field, index, 'name'],
      input: name,
      message: `must be unique: ${field}[${first}] is named so too (${why})`,
    });
  });
}

/** The stack names a subscription by its endpoint, and SNS keeps one per endpoint anyway: a second is a mistake. */
function addDuplicateSubscriptionIssues(subscriptions: readonly AlertTopicSubscription[], ctx: z.RefinementCtx): void {
  const firstIndex = new Map<string, number>();
  subscriptions.forEach(({ endpoint }, index) => {
    const first = firstIndex.get(endpoint);
    if (first === undefined) {
      firstIndex.set(endpoint, index);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: ['alertTopicSubscriptions', index, 'endpoint'],
      input: endpoint,
      message: `must be unique: alertTopicSubscriptions[${first}] subscribes it already`,
    });
  });
}

/** What `lookout.config.ts` exports: every field optional, defaults applied on load. */
export type LookoutConfigInput = z.input<typeof lookoutConfigSchema>;
/** The validated config with defaults applied, as the CDK app and the local runtime use it. */
export type LookoutConfig = z.output<typeof lookoutConfigSchema>;

function configFieldNames(): string[] {
  return Object.keys(lookoutConfigSchema.shape);
}

/** A config that failed validation; `message` names the file and lists every bad field by path. */
export class LookoutConfigError extends Error {
  override readonly name = 'LookoutConfigError';
}

/** Identity function that gives `lookout.config.ts` type checking and editor completion. */
export function defineConfig(config: LookoutConfigInput): LookoutConfigInput {
  return config;
}

/** Validates a config object and applies defaults; throws `LookoutConfigError` naming each bad field. */
export function parseLookoutConfig(input: unknown, source = 'lookout config'): LookoutConfig {
  const parsed = lookoutConfigSchema.safeParse(input ?? {}, { reportInput: true });
  if (!parsed.success) {
    throw new LookoutConfigError(`${source} is invalid:\n${describeConfigIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}

/** The part of the config the Lambdas read, as the JSON put in `LOOKOUT_RUNTIME_CONFIG`. */
export function runtimeConfigFrom(config: LookoutConfig): RuntimeConfigInput {
  // runtimeConfigSchema is a non-strict object: parsing strips the deployment-only fields.
  return runtimeConfigSchema.parse(config);
}
