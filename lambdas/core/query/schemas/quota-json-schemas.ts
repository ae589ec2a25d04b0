import * as z from 'zod';
import { QUOTA_UNITS, quotaInputSchema } from '../../../contract/quota-definition.js';

/**
 * The JSON of `/v1/quotas`. The body of `POST` and `PUT` is the quota schema of
 * `lookout.config.ts` itself, so a quota means the same and is refused the same in both places.
 */

export const quotaBodySchema = quotaInputSchema.meta({
  id: 'QuotaInput',
  description:
    'A quota: at most limit (requests, USD or tokens, by unit) in any windowSeconds, counted per scope value: each user ' +
    '(user), each gateway key (key) or each value of a custom property (property:<name>); match narrows it to requests ' +
    'whose properties have the given values. Unknown fields are refused.',
  examples: [{ name: 'free-daily', unit: 'usd', limit: 1, windowSeconds: 86400, scope: 'user', match: { properties: { tier: 'free' } } }],
});

const { shape } = quotaInputSchema;

/** A quota as the API shows it: its fields, its id, and where it comes from. */
export const quotaJsonSchema = z
  .object({
    id: z.string().meta({ description: 'config:<name> for a quota of lookout.config.ts; a generated id for one made here.' }),
    source: z.enum(['config', 'api']).meta({ description: 'Where the quota is defined: lookout.config.ts, or this API.' }),
    readOnly: z.boolean().meta({ description: 'True for a config quota: it is changed in lookout.config.ts and deployed, never here.' }),
    name: shape.name,
    unit: z.enum(QUOTA_UNITS),
    limit: z.number().meta({ description: 'In the unit: requests or tokens (whole numbers), or USD.' }),
    windowSeconds: z.int(),
    scope: z.string().meta({ description: 'user, key or property:<name>: who shares one counter.' }),
    match: shape.match,
  })
  .meta({ id: 'Quota' });
export type QuotaJson = z.output<typeof quotaJsonSchema>;

/** `GET /v1/quotas`. */
export const quotaListSchema = z
  .object({ quotas: z.array(quotaJsonSchema).meta({ description: "The config's quotas in their order, then the API's by name." }) })
  .meta({ id: 'QuotaList' });

/** `GET /v1/quotas/{id}/usage`: one counter as it stands, in the quota's unit. */
export const quotaUsageSchema = z
  .object({
    quota: quotaJsonSchema,
    scopeValue: z.string().meta({ description: 'The user id, key name or property value whose counter this is, as asked.' }),
    used: z.number().meta({ description: 'Settled in the window: requests, USD or tokens.' }),
    reserved: z.number().meta({ description: 'Held by requests still running: the worst case each reserved before its call.' }),
    limit: z.number(),
    remaining: z.number().meta({ description: 'limit - used - reserved, never below 0: what the next request may still reserve.' }),
    windowEnd: z.iso.datetime().meta({
      description: 'When the oldest amount counted leaves the sliding window, freeing room; now + windowSeconds when nothing is counted.',
    }),
  })
  .meta({ id: 'QuotaUsage' });
export type QuotaUsageJson = z.output<typeof quotaUsageSchema>;
