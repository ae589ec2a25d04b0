import * as z from 'zod';
import { quotaUsageSchema } from './quota-json-schemas.js';

/** Usage totals as the API returns them, cost in USD. */
export const usageTotalsSchema = z
  .object({
    requests: z.int(),
    errors: z.int().meta({ description: 'Requests that did not end in a completed 2xx/3xx.' }),
    promptTokens: z.int(),
    completionTokens: z.int(),
    cachedTokens: z.int(),
    totalTokens: z.int(),
    costUsd: z
      .number()
      .meta({ description: 'Cost of the priced requests. Requests with unknown prices are not in it: see unpricedRequests.' }),
    unpricedRequests: z.int().meta({ description: 'Requests whose model has no known price (their cost is unknown, not zero).' }),
    rateLimitedRequests: z.int().meta({ description: 'Requests a quota or a RateLimit-Policy refused (429).' }),
  })
  .meta({ id: 'UsageTotals' });
export type UsageTotalsJson = z.output<typeof usageTotalsSchema>;

/** One row of the users ranking, before its quota use is added. */
const userUsageTotalsRowSchema = usageTotalsSchema.extend({ userId: z.string(), lastSeenAt: z.iso.datetime() });
export type UserUsageRow = z.output<typeof userUsageTotalsRowSchema>;

/** One row of the users ranking: the user's totals, the quotas counting them now, and the abuse flags. */
const userRankingRowSchema = userUsageTotalsRowSchema.extend({
  quotas: z.array(quotaUsageSchema.omit({ scopeValue: true })).meta({
    description: 'The user-scoped quotas whose counter holds something for this user now (live, whatever the range).',
  }),
  overQuota: z.boolean().meta({ description: 'A quota has nothing left for this user now.' }),
  flagged: z.boolean().meta({ description: "Over a quota now, or refused by one in the range: the guide's abuse check." }),
});
export type UserRankingRow = z.output<typeof userRankingRowSchema>;

/** `GET /v1/users`. */
export const userRankingSchema = z
  .object({
    from: z.iso.datetime().meta({ description: 'The start of the range read: from floored to a rollup bucket boundary.' }),
    to: z.iso.datetime().meta({ description: 'The end of the range read: to ceiled to a rollup bucket boundary.' }),
    users: z.array(userRankingRowSchema),
  })
  .meta({ id: 'UserRanking' });
export type UserRanking = z.output<typeof userRankingSchema>;

/** `GET /v1/users/{id}/usage`. */
export const userUsageSchema = usageTotalsSchema
  .extend({
    userId: z.string(),
    from: z.iso.datetime().meta({ description: 'The start of the range read: from floored to a rollup bucket boundary.' }),
    to: z.iso.datetime().meta({ description: 'The end of the range read: to ceiled to a rollup bucket boundary.' }),
    lastSeenAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'UserUsage' });
export type UserUsage = z.output<typeof userUsageSchema>;
