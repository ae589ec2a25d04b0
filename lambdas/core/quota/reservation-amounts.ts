/**
 * How much a request reserves before its upstream call, and how much it settles at after it, in
 * a check's integer unit (requests, tokens or nano-USD). The reservation is an upper bound of
 * what the request can be billed, so the settled spend never passes a quota:
 *
 * - Prompt tokens are bounded by the body's length in bytes. Both providers tokenize with a
 *   byte-level BPE, in which every token stands for at least one byte of the text, and the body
 *   holds that text with JSON's quotes, keys and escapes around it; role and message markers the
 *   provider adds cost fewer tokens than the JSON that asks for them.
 * - Output tokens are bounded by the body's own maximum, else the model's (`price-table.ts`),
 *   else `quotaDefaultMaxOutputTokens`, times the choices asked for (`n`).
 *
 * Documented limits, where the tokens billed are not in the body: inputs given by reference
 * (an image, PDF or file by URL or file id, a stored prompt, `previous_response_id` or a
 * conversation), which can cost more tokens than their bytes; tools run by the provider (web
 * search or fetch, code execution, file search), whose results are billed as input; and the
 * system prompt Anthropic adds for tool use, a few hundred tokens that a very small body with
 * tools may not cover. The provider bills such a request in full and the settle counts it all.
 */
import type { QuotaUnit } from '../../contract/quota-definition.js';
import type { RuntimeConfig } from '../../contract/runtime-config-schema.js';
import { LookoutError } from '../lookout-error.js';
import { computeCost } from '../pricing/compute-cost.js';
import { findMaxOutputTokens } from '../pricing/max-output-tokens.js';
import type { RequestLogRecord } from '../request-log/request-log-record.js';
import type { TokenUsage } from '../usage/token-usage.js';
import type { LimitCheck } from './applicable-limits.js';

/** What the worst case is read from. */
export interface ReservationRequest {
  /** The route's provider name, as prices are filed (`openai`, `anthropic`, a configured one). */
  provider: string;
  /** The length of the body as the client sent it, in bytes (a JSON body's UTF-8 length). */
  bodyBytes: number;
  /** The parsed JSON body, when the body is JSON. */
  json: unknown;
}

/** A usd check on a request whose model has no price: its worst case cannot be known. */
export interface UnpricedModel {
  readonly unpriced: true;
  /** The model the body asks for, or null when it names none. */
  readonly model: string | null;
}

export type ReservationConfig = Pick<RuntimeConfig, 'prices' | 'quotaDefaultMaxOutputTokens'>;

// The fields each wire format bounds its output by: Chat Completions (`max_completion_tokens`, and
// the older `max_tokens`), Responses (`max_output_tokens`), Anthropic Messages (`max_tokens`).
const MAX_OUTPUT_FIELDS = ['max_tokens', 'max_completion_tokens', 'max_output_tokens'] as const;

/** The most a request can be billed in `unit`, before its call: 1 request, or a bound of its tokens or cost. */
export function worstCaseAmount(unit: QuotaUnit, request: ReservationRequest, config: ReservationConfig): number | UnpricedModel {
  if (unit === 'requests') return 1;
  const body = asRecord(request.json);
  const promptTokens = request.bodyBytes;
  const model = typeof body.model === 'string' && body.model.length > 0 ? body.model : null;
  const outputTokens = maxOutputTokens(body, request.provider, model, config) * choices(body);
  if (unit === 'tokens') return promptTokens + outputTokens;
  if (model === null) return { unpriced: true, model };
  return worstCaseCost(request.provider, model, promptTokens, outputTokens, config) ?? { unpriced: true, model };
}

/** What a finished request spent in `unit`, from its log record: 1 request, its tokens, or its cost (0 when it has none). */
export function actualAmount(unit: QuotaUnit, finished: Pick<RequestLogRecord, 'totalTokens' | 'costNanoUsd'>): number {
  if (unit === 'requests') return 1;
  // No usage (an upstream error, a stream cut before its usage) is nothing billed that Lookout can see.
  return (unit === 'tokens' ? finished.totalTokens : finished.costNanoUsd) ?? 0;
}

/** The 429 for a usd check on a request whose model has no price (unless `quotaAllowUnpricedModels`). */
export function unpricedModelError(check: Pick<LimitCheck, 'kind' | 'label'>, marker: UnpricedModel): LookoutError {
  const limit = `${check.kind === 'quota' ? 'quota' : 'rate limit'} ${check.label}`;
  const model = marker.model === null ? 'a request that names no model' : `model ${marker.model}, which has no price`;
  return new LookoutError(
    429,
    'quota_unpriced_model',
    `${limit} counts US dollars and cannot bound the cost of ${model}: add its price to prices in lookout.config.ts, or set quotaAllowUnpricedModels`,
  );
}

function maxOutputTokens(body: Record<string, unknown>, provider: string, model: string | null, config: ReservationConfig): number {
  // Several fields at once is a request the provider refuses or bounds by one of them; the largest bounds them all.
  const asked = MAX_OUTPUT_FIELDS.map((field) => body[field]).filter(isPositiveInteger);
  if (asked.length > 0) return Math.max(...asked);
  return (model === null ? null : findMaxOutputTokens(provider, model)) ?? config.quotaDefaultMaxOutputTokens;
}

// Chat Completions' `n` asks for that many choices, each up to the output maximum.
function choices(body: Record<string, unknown>): number {
  return isPositiveInteger(body.n) ? body.n : 1;
}

/**
 * The prompt bound priced at the highest input rate the model has, plus the output bound at the
 * output rate, in nano-USD; null for an unpriced model. Prompt tokens are billed at one of four
 * rates (uncached, cache read, 5-minute and 1-hour cache write; `TokenUsage` counts reads and
 * writes inside `promptTokens`), so the dearest of "all at one rate" bounds any mix: an Anthropic
 * request can write its whole prompt to the 1-hour cache at twice the input price. Going through
 * `computeCost` applies a long-context tier when the bound crosses its threshold, which, as tiers
 * only raise prices, bounds a request that stays below it too. Its one rounding (half up, on the
 * total) is the same for the settled cost and never lowers a larger total below a smaller one,
 * so the bound holds in nano-USD as it does in pico-USD.
 */
function worstCaseCost(
  provider: string,
  model: string,
  promptTokens: number,
  outputTokens: number,
  config: ReservationConfig,
): number | null {
  const usage = (cached: number, written: number, written1h: number): TokenUsage => ({
    promptTokens,
    completionTokens: outputTokens,
    cachedTokens: cached,
    cacheWriteTokens: written,
    cacheWrite1hTokens: written1h,
    totalTokens: promptTokens + outputTokens,
  });
  const allAtOneRate = [usage(0, 0, 0), usage(promptTokens, 0, 0), usage(0, promptTokens, 0), usage(0, promptTokens, promptTokens)];
  let worst = 0;
  for (const candidate of allAtOneRate) {
    const cost = computeCost(provider, model, candidate, config.prices);
    if (cost.unpriced) return null;
    worst = Math.max(worst, cost.costNanoUsd);
  }
  return worst;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
