import { z } from 'zod';

/** A whole number of `unit` no smaller than `min`, with the message a config author reads. */
function wholeNumber(min: 0 | 1, unit: string) {
  const error = `must be a whole number of ${unit}, ${min} or more`;
  return z.number({ error }).int({ error }).min(min, { error });
}

const nonEmptyString = z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' });

/** USD per million tokens, as providers publish them; converted to integers inside pricing. */
const usdPerMillionTokens = z.number({ error: 'must be USD per million tokens, a number 0 or more' }).nonnegative({ error: 'must be USD per million tokens, a number 0 or more' });

export const modelPriceOverrideSchema = z.object({
  provider: nonEmptyString,
  /** A model family name (`gpt-4o`) or an exact model id; dated snapshots of a family match it. */
  model: nonEmptyString,
  input: usdPerMillionTokens,
  output: usdPerMillionTokens,
  cachedInput: usdPerMillionTokens.optional(),
  cacheWrite: usdPerMillionTokens.optional(),
  cacheWrite1h: usdPerMillionTokens.optional(),
}, { error: 'must be a price such as { provider: "openai", model: "gpt-4o", input: 2.5, output: 10 }' });
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

const baseUrlMessage = 'must be an http(s) URL such as https://api.groq.com/openai or http://127.0.0.1:1234';

/**
 * A provider's base URL: http(s), with an optional base path (`https://api.groq.com/openai`) and
 * query (Azure's `?api-version=`) that are kept; a trailing `/v1` is dropped, as the route adds it.
 */
const baseUrlSchema = z
  .string({ error: baseUrlMessage })
  .refine((value) => httpUrl(value) !== undefined, { error: baseUrlMessage })
  .transform(withoutTrailingV1);

const originMessage = 'must be an http(s) origin (scheme, host and optional port, no path) such as https://llm.internal.example.com';

// The generic route compares origins only, so a path here would promise a restriction it never makes.
const originSchema = z.string({ error: originMessage }).refine((value) => {
  const url = httpUrl(value);
  return url !== undefined && url.pathname === '/' && !url.search && !url.hash;
}, { error: originMessage });

const providerNameMessage = "a provider name must be lower-case letters, digits and '-', starting with a letter";

export const runtimeConfigSchema = z.object({
  /** Upstream base URLs by provider name; the gateway route is `/<name>/v1/*`. */
  providers: z.record(
    z.string().regex(/^[a-z][a-z0-9-]*$/, { error: providerNameMessage }),
    z.object({ baseUrl: baseUrlSchema }, { error: 'must be an object such as { baseUrl: "https://api.groq.com/openai" }' }),
    { error: 'must be an object of providers by name, such as { groq: { baseUrl: "https://api.groq.com/openai" } }' },
  ),
  /** Origins the generic `/gateway/*` route may reach through `Lookout-Target-URL`. */
  targetUrlAllowlist: z.array(originSchema, { error: 'must be a list of origins such as ["https://llm.internal.example.com"]' }).default([]),
  maxBodyBytes: wholeNumber(1, 'bytes').default(10 * 1024 * 1024),
  /** Time allowed for the upstream to start answering (response headers). */
  upstreamTimeoutMs: wholeNumber(1, 'milliseconds').default(300_000),
  /** How long a verified gateway key is trusted before DynamoDB is asked again. */
  keyCacheTtlMs: wholeNumber(0, 'milliseconds').default(30_000),
  retentionDays: wholeNumber(1, 'days').default(30),
  /** Bodies up to this many compressed bytes are stored in the log item; larger ones go to S3. */
  inlineBodyMaxBytes: wholeNumber(0, 'bytes').default(8 * 1024),
  prices: z.array(modelPriceOverrideSchema, { error: 'must be a list of prices' }).default([]),
}, { error: 'must be an object' });
export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;
export type RuntimeConfigInput = z.input<typeof runtimeConfigSchema>;

export const defaultProviderBaseUrls: Readonly<Record<string, string>> = {
  openai: 'https://api.openai.com',
  anthropic: 'https://api.anthropic.com',
};

/**
 * Reads the runtime config the CDK app (or `npm start`) put in `LOOKOUT_RUNTIME_CONFIG`, then
 * applies `LOOKOUT_<PROVIDER>_BASE_URL` overrides, so a local run can aim a provider at a mock.
 */
export function parseRuntimeConfig(env: Readonly<Record<string, string | undefined>>): RuntimeConfig {
  let raw: unknown = {};
  if (env.LOOKOUT_RUNTIME_CONFIG) {
    try {
      raw = JSON.parse(env.LOOKOUT_RUNTIME_CONFIG);
    } catch {
      throw new Error('LOOKOUT_RUNTIME_CONFIG is not valid JSON');
    }
  }
  const parsed = runtimeConfigSchema.safeParse({
    providers: Object.fromEntries(
      Object.entries(defaultProviderBaseUrls).map(([name, baseUrl]) => [name, { baseUrl }]),
    ),
    ...(raw as object),
  }, { reportInput: true });
  if (!parsed.success) {
    throw new Error(`LOOKOUT_RUNTIME_CONFIG is invalid:\n${describeConfigIssues(parsed.error.issues)}`);
  }
  const config = parsed.data;
  for (const name of Object.keys(config.providers)) {
    const variable = `LOOKOUT_${name.toUpperCase().replaceAll('-', '_')}_BASE_URL`;
    const override = env[variable];
    if (!override) continue;
    const baseUrl = baseUrlSchema.safeParse(override);
    if (!baseUrl.success) throw new Error(`${variable} ${baseUrlMessage}, got ${JSON.stringify(override)}`);
    config.providers[name] = { baseUrl: baseUrl.data };
  }
  return config;
}

/**
 * The problems of a config, one indented line each: the field's dotted path, what it must be and
 * what it was (`  providers.groq.baseUrl: must be an http(s) URL ..., got "localhost:1234"`).
 */
export function describeConfigIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.flatMap(issueLines).map((line) => `  ${line}`).join('\n');
}

function issueLines(issue: z.core.$ZodIssue): string[] {
  // Both carry the offending key in their path already, so the input adds nothing.
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${dottedPath([...issue.path, key])}: ${issue.message}`);
  if (issue.code === 'invalid_key') return issue.issues.map((inner) => `${dottedPath(issue.path)}: ${inner.message}`);
  const at = dottedPath(issue.path);
  const got = issue.input !== undefined ? `, got ${shownValue(issue.input)}` : issue.code === 'invalid_type' ? '; it is missing' : '';
  return [`${at ? `${at}: ` : ''}${issue.message}${got}`];
}

function dottedPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Reads an environment variable the deployment must set, failing loudly when it is missing. */
export function requireEnv(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set; the CDK stack (or npm start) sets it.`);
  return value;
}
