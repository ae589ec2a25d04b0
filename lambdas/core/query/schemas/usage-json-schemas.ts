import * as z from 'zod';

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
  })
  .meta({ id: 'UsageTotals' });
export type UsageTotalsJson = z.output<typeof usageTotalsSchema>;

const truncated = z.boolean().meta({ description: 'True when only the newest part of the window was read.' });

/** One row of the users ranking. */
const userUsageRowSchema = usageTotalsSchema.extend({ userId: z.string(), lastSeenAt: z.iso.datetime() });
export type UserUsageRow = z.output<typeof userUsageRowSchema>;

/** `GET /v1/users`. */
export const userRankingSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    users: z.array(userUsageRowSchema),
    truncated,
  })
  .meta({ id: 'UserRanking' });
export type UserRanking = z.output<typeof userRankingSchema>;

/** `GET /v1/users/{id}/usage`. */
export const userUsageSchema = usageTotalsSchema
  .extend({
    userId: z.string(),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    lastSeenAt: z.iso.datetime().nullable(),
    truncated,
  })
  .meta({ id: 'UserUsage' });
export type UserUsage = z.output<typeof userUsageSchema>;
