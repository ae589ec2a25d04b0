import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import {
  defaultProviderBaseUrls,
  describeConfigIssues,
  runtimeConfigSchema,
  type RuntimeConfigInput,
} from '../lambdas/core/runtime-config.js';

/** Where `loadLookoutConfig()` looks when no path is given: the repo root, whatever the cwd. */
export const defaultLookoutConfigPath = fileURLToPath(new URL('../lookout.config.ts', import.meta.url));

/**
 * Top-level path segments that API Gateway routes to something other than a provider, so a
 * provider may not be named after them. `custom` is what the generic route logs as its provider.
 */
export const reservedProviderNames: readonly string[] = ['gateway', 'v1', 'healthz', 'custom'];

/** The retention periods CloudWatch Logs accepts (days); anything else fails at deploy time. */
export const logRetentionDayValues = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The gateway Lambda and its streaming integration both stop at 15 minutes (Lambda's maximum). */
export const gatewayMaxDurationMs = 15 * 60 * 1000;

/**
 * Lambda caps all environment variables of a function at 4 KB together; the runtime config shares
 * that budget with the table, bucket and queue names, so it gets most but not all of it.
 */
export const runtimeConfigMaxJsonBytes = 3 * 1024;

const runtimeFields = runtimeConfigSchema.shape;

const logRetentionMessage = `must be one of the values CloudWatch Logs accepts: ${logRetentionDayValues.join(', ')}`;
const stageNameMessage = 'must be 1 to 128 letters, digits, `-` or `_`';

export const lookoutConfigSchema = z
  .strictObject({
    ...runtimeFields,
    /**
     * Extra or overridden providers by name; `openai` and `anthropic` are always present and point
     * at the real APIs unless overridden here. Each gets the route `/<name>/v1/*`.
     */
    providers: runtimeFields.providers
      .optional()
      .transform((configured) => ({
        ...Object.fromEntries(Object.entries(defaultProviderBaseUrls).map(([name, baseUrl]) => [name, { baseUrl }])),
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
  }, {
    error: (issue) => issue.code === 'unrecognized_keys'
      ? `is not a config field; the fields are ${configFieldNames().join(', ')}`
      : 'must be an object: `export default defineConfig({ ... })`',
  })
  .superRefine((config, ctx) => {
    for (const name of Object.keys(config.providers)) {
      if (reservedProviderNames.includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['providers', name],
          message: `"${name}" is reserved for a built-in route (${reservedProviderNames.join(', ')}); choose another provider name`,
        });
      }
    }
    if (config.upstreamTimeoutMs >= gatewayMaxDurationMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['upstreamTimeoutMs'],
        input: config.upstreamTimeoutMs,
        message: `must be less than ${gatewayMaxDurationMs} (the gateway Lambda's 15-minute limit)`,
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
        message: `the runtime part of the config is ${runtimeJsonBytes} bytes as JSON, more than the ${runtimeConfigMaxJsonBytes} that fit in a Lambda environment variable; trim prices or providers`,
      });
    }
  });

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

/**
 * Imports and validates a `lookout.config.ts` (default: the one in the repo root). The file is
 * TypeScript, so the caller must run under tsx (the CDK app, `npm start` and the tests do).
 */
export async function loadLookoutConfig(path: string = defaultLookoutConfigPath): Promise<LookoutConfig> {
  const absolutePath = resolve(path);
  const file = shownPath(absolutePath);
  if (!existsSync(absolutePath)) {
    throw new LookoutConfigError(`${file} not found; create it with \`export default defineConfig({})\``);
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(absolutePath).href)) as { default?: unknown };
  } catch (error) {
    // A syntax error or a throw in the file: name the file, as for every other config mistake.
    throw new LookoutConfigError(`${file} could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (module.default === undefined) {
    throw new LookoutConfigError(`${file} has no default export; use \`export default defineConfig({...})\``);
  }
  return parseLookoutConfig(module.default, file);
}

/** The config file as a person finds it: relative when under the working directory, else absolute. */
function shownPath(absolutePath: string): string {
  const fromCwd = relative(process.cwd(), absolutePath);
  return fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : absolutePath;
}

/** The part of the config the Lambdas read, as the JSON put in `LOOKOUT_RUNTIME_CONFIG`. */
export function runtimeConfigFrom(config: LookoutConfig): RuntimeConfigInput {
  // runtimeConfigSchema is a non-strict object: parsing strips the deployment-only fields.
  return runtimeConfigSchema.parse(config);
}
