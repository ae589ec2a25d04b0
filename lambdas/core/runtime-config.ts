import { z } from 'zod';

/** USD per million tokens, as providers publish them; converted to integers inside pricing. */
const usdPerMillionTokens = z.number().nonnegative();

export const modelPriceOverrideSchema = z.object({
  provider: z.string().min(1),
  /** A model family name (`gpt-4o`) or an exact model id; dated snapshots of a family match it. */
  model: z.string().min(1),
  input: usdPerMillionTokens,
  output: usdPerMillionTokens,
  cachedInput: usdPerMillionTokens.optional(),
  cacheWrite: usdPerMillionTokens.optional(),
  cacheWrite1h: usdPerMillionTokens.optional(),
});
export type ModelPriceOverride = z.infer<typeof modelPriceOverrideSchema>;

const originSchema = z.string().url();

export const runtimeConfigSchema = z.object({
  /** Upstream origins by provider name; the gateway route is `/<name>/v1/*`. */
  providers: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), z.object({ baseUrl: originSchema })),
  /** Origins the generic `/gateway/*` route may reach through `Lookout-Target-URL`. */
  targetUrlAllowlist: z.array(originSchema).default([]),
  maxBodyBytes: z.number().int().positive().default(10 * 1024 * 1024),
  /** Time allowed for the upstream to start answering (response headers). */
  upstreamTimeoutMs: z.number().int().positive().default(300_000),
  /** How long a verified gateway key is trusted before DynamoDB is asked again. */
  keyCacheTtlMs: z.number().int().nonnegative().default(30_000),
  retentionDays: z.number().int().positive().default(30),
  /** Bodies up to this many compressed bytes are stored in the log item; larger ones go to S3. */
  inlineBodyMaxBytes: z.number().int().nonnegative().default(8 * 1024),
  prices: z.array(modelPriceOverrideSchema).default([]),
});
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
  });
  if (!parsed.success) {
    throw new Error(`LOOKOUT_RUNTIME_CONFIG is invalid: ${z.prettifyError(parsed.error)}`);
  }
  const config = parsed.data;
  for (const name of Object.keys(config.providers)) {
    const override = env[`LOOKOUT_${name.toUpperCase().replaceAll('-', '_')}_BASE_URL`];
    if (override) config.providers[name] = { baseUrl: originSchema.parse(override) };
  }
  return config;
}

/** Reads an environment variable the deployment must set, failing loudly when it is missing. */
export function requireEnv(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set; the CDK stack (or npm start) sets it.`);
  return value;
}
