/**
 * A server-side quota, as `lookout.config.ts` lists it (`quotas`) and `POST /v1/quotas` takes it:
 * one schema, so a quota means the same in both places and a bad field is named the same way.
 * It is contract because the CDK app validates the config with it and the Lambdas enforce it.
 */
import * as z from 'zod';
import { PROPERTY_DIMENSION_PATTERN } from './property-names.js';
import { definitionNameSchema, withConfigIds, type DefinitionIdentity } from './config-ids.js';

export const QUOTA_UNITS = ['requests', 'usd', 'tokens'] as const;
export type QuotaUnit = (typeof QUOTA_UNITS)[number];

/** The longest window a quota may have: a year, as for `RateLimit-Policy`. */
export const MAX_QUOTA_WINDOW_SECONDS = 365 * 24 * 60 * 60;

/** The fields of a quota, in the order a message lists them. */
export const QUOTA_FIELDS = ['name', 'unit', 'limit', 'windowSeconds', 'scope', 'match'] as const;

const scopeMessage = 'must be "user", "key" or "property:<name>" (a lower-case custom property name)';

export const quotaInputSchema = z
  .strictObject(
    {
      name: definitionNameSchema,
      unit: z.enum(QUOTA_UNITS, { error: 'must be "requests", "usd" or "tokens"' }),
      /** Requests or tokens (whole numbers), or USD. */
      limit: z.number({ error: 'must be a number above 0' }).positive({ error: 'must be a number above 0' }),
      windowSeconds: z
        .number({ error: `must be whole seconds from 1 to ${MAX_QUOTA_WINDOW_SECONDS}` })
        .int({ error: `must be whole seconds from 1 to ${MAX_QUOTA_WINDOW_SECONDS}` })
        .min(1, { error: `must be whole seconds from 1 to ${MAX_QUOTA_WINDOW_SECONDS}` })
        .max(MAX_QUOTA_WINDOW_SECONDS, { error: `must be whole seconds from 1 to ${MAX_QUOTA_WINDOW_SECONDS}` }),
      /** Who shares one counter: each user, the whole gateway key, or each value of a property. */
      scope: z
        .string({ error: scopeMessage })
        .refine((scope) => scope === 'user' || scope === 'key' || PROPERTY_DIMENSION_PATTERN.test(scope), { error: scopeMessage }),
      /** Narrows whom the quota applies to: requests whose properties have these values. */
      match: z
        .strictObject(
          { properties: z.record(z.string(), z.string(), { error: 'must be an object of property values by name' }) },
          {
            error: (issue) =>
              issue.code === 'unrecognized_keys'
                ? 'is not a field of match; match has only properties'
                : 'must be { properties: { <name>: <value> } }',
          },
        )
        .optional(),
    },
    {
      // A misspelt field is named by its path; "must be a quota" would hide which one it is.
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `is not a quota field; the fields are ${QUOTA_FIELDS.join(', ')}`
          : 'must be a quota such as { name: "free-daily", unit: "usd", limit: 1, windowSeconds: 86400, scope: "user" }',
    },
  )
  .superRefine((quota, ctx) => {
    if (quota.unit !== 'usd' && !Number.isInteger(quota.limit)) {
      ctx.addIssue({ code: 'custom', path: ['limit'], input: quota.limit, message: `must be a whole number of ${quota.unit}` });
    }
  });
export type QuotaInput = z.output<typeof quotaInputSchema>;

/** A quota with its id: `config:<name>` for one from `lookout.config.ts` (read-only), a generated id for one made through the API. */
export type QuotaDefinition = QuotaInput & DefinitionIdentity;

/** The quotas of `lookout.config.ts` with their ids (`withConfigIds`): changing a limit keeps what its counters hold. */
export function configQuotaDefinitions(quotas: readonly QuotaInput[]): QuotaDefinition[] {
  return withConfigIds(quotas);
}
