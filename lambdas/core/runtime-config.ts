import { describeConfigIssues } from '../contract/config-issues.js';
import { EnvironmentVariable, providerBaseUrlVariable } from '../contract/environment-variables.js';
import {
  defaultProviders,
  providerBaseUrlMessage,
  providerBaseUrlSchema,
  runtimeConfigSchema,
  type RuntimeConfig,
} from '../contract/runtime-config-schema.js';

/**
 * Reads the runtime config the CDK app (or `npm start`) put in `LOOKOUT_RUNTIME_CONFIG`, then
 * applies `LOOKOUT_<PROVIDER>_BASE_URL` overrides, so a local run can aim a provider at a mock.
 */
export function parseRuntimeConfig(env: Readonly<Record<string, string | undefined>>): RuntimeConfig {
  let raw: unknown = {};
  const json = env[EnvironmentVariable.runtimeConfig];
  if (json) {
    try {
      raw = JSON.parse(json);
    } catch {
      throw new Error(`${EnvironmentVariable.runtimeConfig} is not valid JSON`);
    }
  }
  const parsed = runtimeConfigSchema.safeParse(
    {
      providers: defaultProviders,
      ...(raw as object),
    },
    { reportInput: true },
  );
  if (!parsed.success) {
    throw new Error(`${EnvironmentVariable.runtimeConfig} is invalid:\n${describeConfigIssues(parsed.error.issues)}`);
  }
  const config = parsed.data;
  for (const name of Object.keys(config.providers)) {
    const variable = providerBaseUrlVariable(name);
    const override = env[variable];
    if (!override) continue;
    const baseUrl = providerBaseUrlSchema.safeParse(override);
    if (!baseUrl.success) throw new Error(`${variable} ${providerBaseUrlMessage}, got ${JSON.stringify(override)}`);
    config.providers[name] = { baseUrl: baseUrl.data };
  }
  return config;
}

/** Reads an environment variable the deployment must set, failing loudly when it is missing. */
export function requireEnv(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set; the CDK stack (or npm start) sets it.`);
  return value;
}
