/**
 * The runtime config: the part of `lookout.config.ts` the Lambdas read, as the CDK app (or
 * `npm start`) puts it in `LOOKOUT_RUNTIME_CONFIG`. One zod schema gives the validation, the
 * messages a config author reads and the types; the deployment config (lookout-config.ts) extends it.
 */
import * as z from 'zod';
import { alertRuleInputSchema } from './alert-rule.js';
import { PROPERTY_NAME_PATTERN } from './property-names.js';
import { quotaInputSchema } from './quota-definition.js';

/** A whole number of `unit` no smaller than `min`, with the message a config author reads. */
function wholeNumber(min: 0 | 1, unit: string) {
  const error = `must be a whole number of ${unit}, ${min} or more`;
  return z.number({ error }).int({ error }).min(min, { error });
}

const nonEmptyString = z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' });

/** USD per million tokens, as providers publish them; converted to integers inside pricing. */
const usdPerMillionTokens = z
  .number({ error: 'must be USD per million tokens, a number 0 or more' })
  .nonnegative({ error: 'must be USD per million tokens, a number 0 or more' });

export const modelPriceOverrideSchema = z.object(
  {
    provider: nonEmptyString,
    /** A model family name (`gpt-4o`) or an exact model id; dated snapshots of a family match it. */
    model: nonEmptyString,
    input: usdPerMillionTokens,
    output: usdPerMillionTokens,
    cachedInput: usdPerMillionTokens.optional(),
    cacheWrite: usdPerMillionTokens.optional(),
    cacheWrite1h: usdPerMillionTokens.optional(),
  },
  { error: 'must be a price such as { provider: "openai", model: "gpt-4o", input: 2.5, output: 10 }' },
);
export type ModelPriceOverride = z.infer<typeof modelPriceOverrideSchema>;

function httpUrl(value: string): URL | undefined {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? url : undefined;
}

// Every provider route is `/<name>/v1/*` and sends `/v1/...` upstream, so a base URL written the way
// SDKs want it (OPENAI_BASE_URL=http://host/v1) would otherwise reach `/v1/v1/...`. All trailing
// `/v1` segments go, not just one, so that parsing an already parsed config changes nothing.
const TRAILING_V1 = /(?:\/v1)+\/?$/;

function withoutTrailingV1(value: string): string {
  const url = new URL(value);
  const path = url.pathname.replace(TRAILING_V1, '');
  if (path === url.pathname) return value;
  url.pathname = path;
  return url.href;
}

export const providerBaseUrlMessage = 'must be an http(s) URL such as https://api.groq.com/openai or http://127.0.0.1:1234';

/**
 * A provider's base URL: http(s), with an optional base path (`https://api.groq.com/openai`) and
 * query (Azure's `?api-version=`) that are kept; a trailing `/v1` is dropped, as the route adds it.
 */
export const providerBaseUrlSchema = z
  .string({ error: providerBaseUrlMessage })
  .refine((value) => httpUrl(value) !== undefined, { error: providerBaseUrlMessage })
  .transform(withoutTrailingV1);

const originMessage = 'must be an http(s) origin (scheme, host and optional port, no path) such as https://llm.internal.example.com';

// The generic route compares origins only, so a path here would promise a restriction it never makes.
const originSchema = z.string({ error: originMessage }).refine(
  (value) => {
    const url = httpUrl(value);
    return url !== undefined && url.pathname === '/' && !url.search && !url.hash;
  },
  { error: originMessage },
);

const indexedPropertyMessage =
  "a property name is 1 to 64 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit (as the Lookout-Property-<Name> headers are read)";

const providerNameMessage = "a provider name must be lower-case letters, digits and '-', starting with a letter";

export const runtimeConfigSchema = z.object(
  {
    /** Upstream base URLs by provider name; the gateway route is `/<name>/v1/*`. */
    providers: z.record(
      z.string().regex(/^[a-z][a-z0-9-]*$/, { error: providerNameMessage }),
      z.object({ baseUrl: providerBaseUrlSchema }, { error: 'must be an object such as { baseUrl: "https://api.groq.com/openai" }' }),
      { error: 'must be an object of providers by name, such as { groq: { baseUrl: "https://api.groq.com/openai" } }' },
    ),
    /** Origins the generic `/gateway/*` route may reach through `Lookout-Target-URL`. */
    targetUrlAllowlist: z
      .array(originSchema, { error: 'must be a list of origins such as ["https://llm.internal.example.com"]' })
      .default([]),
    maxBodyBytes: wholeNumber(1, 'bytes').default(10 * 1024 * 1024),
    /** Time allowed for the upstream to start answering (response headers). */
    upstreamTimeoutMs: wholeNumber(1, 'milliseconds').default(300_000),
    /** How long a verified gateway key is trusted before DynamoDB is asked again. */
    keyCacheTtlMs: wholeNumber(0, 'milliseconds').default(30_000),
    retentionDays: wholeNumber(1, 'days').default(30),
    /** Bodies up to this many compressed bytes are stored in the log item; larger ones go to S3. */
    inlineBodyMaxBytes: wholeNumber(0, 'bytes').default(8 * 1024),
    /**
     * How long a request waits for the response cache before it goes ahead uncached; a slow or
     * unreachable cache never fails a request.
     */
    cacheTimeoutMs: wholeNumber(1, 'milliseconds').default(50),
    /** Answers larger than this are not cached (and a stored copy cut at `maxBodyBytes` never is). */
    cacheMaxEntryBytes: wholeNumber(1, 'bytes').default(1024 * 1024),
    /**
     * Cache scopes by gateway key name. Each key reads and writes only its own entries; keys
     * given the same scope here share them (`{ "web-prod": "web", "web-canary": "web" }`).
     */
    cacheScopes: z
      .record(z.string().min(1), nonEmptyString, { error: 'must be an object of scope names by key name, such as { "web-prod": "web" }' })
      .default({}),
    /** Server-side quotas (read-only at run time; more are made through `/v1/quotas`). */
    quotas: z.array(quotaInputSchema, { error: 'must be a list of quotas' }).default([]),
    /**
     * When the quota counters cannot be reached: `open` lets requests through unchecked (with a
     * warning and a metric), `closed` refuses them with a 503.
     */
    quotaStoreFailure: z.enum(['open', 'closed'], { error: 'must be "open" or "closed"' }).default('open'),
    /** How long a request waits for the quota counters before `quotaStoreFailure` applies. */
    quotaTimeoutMs: wholeNumber(1, 'milliseconds').default(500),
    /** The output tokens reserved for a request that sets no maximum and whose model has none in the price table. */
    quotaDefaultMaxOutputTokens: wholeNumber(1, 'tokens').default(32_768),
    /**
     * Whether a request for a model without a price may pass a usd quota: it is then counted in
     * tokens only and flagged. Off: such a request gets 429 `quota_unpriced_model`.
     */
    quotaAllowUnpricedModels: z.boolean({ error: 'must be true or false' }).default(false),
    /**
     * The custom properties the usage rollups keep a series for per value (lower-case names, as
     * the headers are read), so `/v1/metrics` can filter and group by them. A property indexed
     * later counts from then on; `npm run rollups:rebuild` fills in the past the log still holds.
     */
    indexedProperties: z
      .array(z.string().regex(PROPERTY_NAME_PATTERN, { error: indexedPropertyMessage }), {
        error: 'must be a list of property names such as ["environment", "feature"]',
      })
      .default([])
      .transform((names) => [...new Set(names)]),
    /** How long each size of rollup bucket is kept, in days. */
    rollupRetentionDays: z
      .object(
        {
          minute: wholeNumber(1, 'days').default(2),
          hour: wholeNumber(1, 'days').default(90),
          day: wholeNumber(1, 'days').default(730),
        },
        { error: 'must be an object such as { minute: 2, hour: 90, day: 730 }' },
      )
      .default({ minute: 2, hour: 90, day: 730 }),
    /**
     * The cardinality guard: the most distinct values one dimension (user, model, provider, key or
     * an indexed property) gets its own series for in a UTC day; later new values that day are
     * counted under `(other)`.
     */
    rollupMaxValuesPerDay: wholeNumber(1, 'values').default(10_000),
    /** Alert rules (read-only at run time; more are made through `/v1/alerts`). */
    alerts: z.array(alertRuleInputSchema, { error: 'must be a list of alert rules' }).default([]),
    prices: z.array(modelPriceOverrideSchema, { error: 'must be a list of prices' }).default([]),
  },
  { error: 'must be an object' },
);
export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;
export type RuntimeConfigInput = z.input<typeof runtimeConfigSchema>;

/** The providers every deployment has, at the real APIs unless the config re-points them. */
export const defaultProviders: Readonly<Record<string, { readonly baseUrl: string }>> = {
  openai: { baseUrl: 'https://api.openai.com' },
  anthropic: { baseUrl: 'https://api.anthropic.com' },
};
