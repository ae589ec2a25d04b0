import type { z } from 'zod';
import { requestLogFieldsSchema } from '../request-log/request-log-record-schema.js';

/** The fields of a logged request the rollups add up; the aggregator and the rebuild read only these. */
export const rollupSampleSchema = requestLogFieldsSchema.pick({
  id: true,
  createdAtMs: true,
  provider: true,
  model: true,
  status: true,
  outcome: true,
  latencyMs: true,
  ttftMs: true,
  promptTokens: true,
  completionTokens: true,
  cachedTokens: true,
  cacheWriteTokens: true,
  totalTokens: true,
  costNanoUsd: true,
  unpriced: true,
  userId: true,
  properties: true,
  cacheStatus: true,
  savedNanoUsd: true,
  savedTotalTokens: true,
  savedLatencyMs: true,
  rateLimited: true,
  keyName: true,
});
export type RollupSample = z.output<typeof rollupSampleSchema>;
