import * as z from 'zod';

/** The cache's totals over requests that asked for it. */
export const cacheTotalsSchema = z
  .object({
    hits: z.int().meta({ description: 'Requests answered from the cache: the provider was not called.' }),
    misses: z.int().meta({ description: 'Requests that asked for the cache and went to the provider.' }),
    unavailable: z.int().meta({ description: 'Requests that went ahead uncached because the cache failed or was too slow.' }),
    hitRate: z.number().nullable().meta({ description: 'hits / (hits + misses + unavailable), 0 to 1; null without lookups.' }),
    savedUsd: z.number().meta({ description: "What the hits' original answers cost (priced originals only: see unpricedHits)." }),
    unpricedHits: z.int().meta({ description: 'Hits whose original model has no known price.' }),
    savedTokens: z.int().meta({ description: "The originals' total tokens, which no provider billed again." }),
    savedLatencyMs: z.int().meta({ description: "The originals' latency minus the hits', summed." }),
  })
  .meta({ id: 'CacheTotals' });
export type CacheTotalsJson = z.output<typeof cacheTotalsSchema>;

/** `GET /v1/cache/stats`. */
export const cacheStatsSchema = z
  .object({
    from: z.iso.datetime().meta({ description: 'The start of the range read: from floored to a rollup bucket boundary.' }),
    to: z.iso.datetime().meta({ description: 'The end of the range read: to ceiled to a rollup bucket boundary.' }),
    totals: cacheTotalsSchema,
    groups: z
      .array(cacheTotalsSchema.extend({ value: z.string().nullable().meta({ description: 'The group value; null: none.' }) }))
      .nullable()
      .meta({ description: 'Per value of groupBy, most hits first; null without groupBy.' }),
  })
  .meta({ id: 'CacheStats' });
export type CacheStatsJson = z.output<typeof cacheStatsSchema>;
