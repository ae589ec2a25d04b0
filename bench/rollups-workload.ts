/**
 * The usage rollups' bench traffic: request-log records of a mixed, realistic workload, the same
 * from run to run (a seeded generator), so the aggregator, the rebuild and the metrics queries of
 * two runs count the same requests. 20 users, three models on two providers, two gateway keys, two
 * indexed properties with a few values each, 5% errors, half the requests streamed with a TTFT.
 */
import type { RequestLogRecord } from '../lambdas/core/request-log/request-log-record.js';
import { logRecord } from '../test/support/request-log-records.js';
import { seededRandom } from '../lambdas/demo/seeded-random.js';

/** The properties the bench's rollups index (`indexedProperties` of its runtime config). */
export const WORKLOAD_INDEXED_PROPERTIES = ['environment', 'feature'];

const USERS = Array.from({ length: 20 }, (_, i) => `user-${String(i + 1).padStart(2, '0')}`);
/** Model, provider, and nano-USD per prompt and per completion token. */
const MODELS = [
  { model: 'gpt-4o-mini', provider: 'openai', promptNano: 150, completionNano: 600 },
  { model: 'gpt-4o', provider: 'openai', promptNano: 2_500, completionNano: 10_000 },
  { model: 'claude-sonnet-4', provider: 'anthropic', promptNano: 3_000, completionNano: 15_000 },
];
const KEYS = ['checkout-app', 'support-bot'];
const ENVIRONMENTS = ['production', 'production', 'production', 'staging', 'development'];
const FEATURES = ['chat', 'search', 'summarise', 'agent'];
export const WORKLOAD_ERROR_SHARE = 0.05;

export const WORKLOAD_DESCRIPTION = `${USERS.length} users, ${MODELS.length} models on 2 providers, ${KEYS.length} gateway keys, 2 indexed properties (environment: 3 values, feature: ${FEATURES.length}), ${WORKLOAD_ERROR_SHARE * 100}% errors (5xx and 429), half streamed with a TTFT, latencies from 80 ms to a few seconds`;

export interface WorkloadOptions {
  count: number;
  /** The records' times are spread over [fromMs, toMs), oldest first. */
  fromMs: number;
  toMs: number;
  /** Makes the ids of this set its own. */
  idPrefix: string;
  seed: number;
}

/** `count` records, oldest first, as the gateway would have logged them. */
export function rollupWorkload(options: WorkloadOptions): RequestLogRecord[] {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const span = options.toMs - options.fromMs;
  const times = Array.from({ length: options.count }, () => options.fromMs + Math.floor(random() * span)).sort((a, b) => a - b);
  return times.map((createdAtMs, index) => {
    const { model, provider, promptNano, completionNano } = pick(MODELS);
    const stream = random() < 0.5;
    const failed = random() < WORKLOAD_ERROR_SHARE;
    const rateLimited = failed && random() < 0.2;
    const promptTokens = 50 + Math.floor(random() * 2_000);
    const completionTokens = failed ? 0 : 10 + Math.floor(random() * 800);
    // A long tail: most answers within a second, a few of several seconds.
    const latencyMs = Math.round(80 + 400 * -Math.log(1 - random() * 0.999));
    return logRecord({
      id: `${options.idPrefix}-${String(index).padStart(7, '0')}`,
      createdAtMs,
      provider,
      model,
      stream,
      status: rateLimited ? 429 : failed ? 500 : 200,
      outcome: failed ? (rateLimited ? 'rejected' : 'upstream_error') : 'completed',
      errorCode: rateLimited ? 'rate_limited' : failed ? 'server_error' : null,
      rateLimited,
      rateLimitedBy: rateLimited ? 'per-user-requests' : null,
      latencyMs,
      ttftMs: stream && !failed ? Math.max(20, Math.round(latencyMs * (0.1 + 0.3 * random()))) : null,
      promptTokens,
      completionTokens,
      totalTokens: promptTokens + completionTokens,
      costNanoUsd: failed ? 0 : promptTokens * promptNano + completionTokens * completionNano,
      userId: pick(USERS),
      keyName: pick(KEYS),
      properties: { environment: pick(ENVIRONMENTS), feature: pick(FEATURES) },
    });
  });
}
