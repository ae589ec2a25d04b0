import type { CacheLookup } from '../cache/cache-lookup.js';
import type { MonitoringHeaders } from '../headers/monitoring-headers.js';
import { resolveUserId } from '../headers/monitoring-headers.js';
import { computeCost, type RequestCost } from '../pricing/compute-cost.js';
import type { ModelPriceOverride } from '../../contract/runtime-config-schema.js';
import type { TokenUsage } from '../usage/token-usage.js';
import type { RequestLogRecord, RequestOutcome } from './request-log-record.js';

const UNPRICED: RequestCost = { costNanoUsd: null, unpriced: true };
const FREE: RequestCost = { costNanoUsd: 0, unpriced: false };

/** What the gateway knows about one request once it is over. */
export interface FinishedRequest {
  id: string;
  startedAtMs: number;
  endedAtMs: number;
  /** When the first byte went to the client, for streamed answers. */
  firstByteAtMs: number | undefined;
  provider: string;
  method: string;
  path: string;
  monitoring: MonitoringHeaders;
  /** The client's parsed JSON body, when it sent one. */
  requestJson: unknown;
  keyName: string;
  status: number;
  outcome: RequestOutcome;
  errorCode: string | null;
  /** Whether the answer was an SSE stream. */
  stream: boolean;
  usage: TokenUsage | null;
  /** The model the provider reported, which may be a dated snapshot of the requested one. */
  reportedModel: string | null;
  responseBodyTruncated: boolean;
  /** What the response cache did, when the request asked for it. */
  cache: CacheLookup | null;
  /** The quota or policy that refused the request, when one did. */
  rateLimitedBy: string | null;
}

/**
 * The log record for a finished request: tokens from the provider's usage, cost from the price
 * table (null and `unpriced` for unknown models, never 0), user from the header or the body.
 */
export function buildRequestLogRecord(
  request: FinishedRequest,
  prices: readonly ModelPriceOverride[],
): Omit<RequestLogRecord, 'requestBody' | 'responseBody'> {
  const { monitoring, cache } = request;
  const hit = cache?.status === 'hit' ? cache.original : null;
  // A hit was billed nothing: its usage is zero and the original's is kept apart as saved.
  const usage = hit ? (hit.usage ? NOTHING_BILLED : null) : request.usage;
  const model = (hit ? hit.model : request.reportedModel) ?? requestedModel(request.requestJson);
  const cost = hit ? FREE : costOf(request.provider, model, usage, prices);
  const saved = hit ? costOf(request.provider, model, hit.usage, prices) : null;
  const latencyMs = request.endedAtMs - request.startedAtMs;
  return {
    id: request.id,
    createdAtMs: request.startedAtMs,
    provider: request.provider,
    model,
    method: request.method,
    path: request.path,
    status: request.status,
    outcome: request.outcome,
    errorCode: request.errorCode,
    stream: request.stream,
    latencyMs,
    ttftMs: request.stream && request.firstByteAtMs !== undefined ? request.firstByteAtMs - request.startedAtMs : null,
    promptTokens: usage?.promptTokens ?? null,
    completionTokens: usage?.completionTokens ?? null,
    cachedTokens: usage?.cachedTokens ?? null,
    cacheWriteTokens: usage?.cacheWriteTokens ?? null,
    totalTokens: usage?.totalTokens ?? null,
    costNanoUsd: cost?.costNanoUsd ?? null,
    unpriced: cost?.unpriced ?? false,
    userId: resolveUserId(monitoring, request.requestJson),
    sessionId: monitoring.sessionId,
    sessionPath: monitoring.sessionPath,
    sessionName: monitoring.sessionName,
    promptId: monitoring.promptId,
    properties: { ...monitoring.properties },
    cacheHit: hit !== null,
    cacheStatus: cache?.status ?? null,
    savedNanoUsd: saved?.costNanoUsd ?? null,
    savedPromptTokens: hit?.usage?.promptTokens ?? null,
    savedCompletionTokens: hit?.usage?.completionTokens ?? null,
    savedTotalTokens: hit?.usage?.totalTokens ?? null,
    savedLatencyMs: hit ? Math.max(0, hit.latencyMs - latencyMs) : null,
    rateLimited: request.rateLimitedBy !== null,
    rateLimitedBy: request.rateLimitedBy,
    keyName: request.keyName,
    responseBodyTruncated: request.responseBodyTruncated,
  };
}

const NOTHING_BILLED: TokenUsage = {
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  totalTokens: 0,
};

/** Null without usage; tokens used but no model to price them by: unknown cost, not a free request. */
function costOf(
  provider: string,
  model: string | null,
  usage: TokenUsage | null,
  prices: readonly ModelPriceOverride[],
): RequestCost | null {
  if (!usage) return null;
  return model ? costOrUnpriced(provider, model, usage, prices) : UNPRICED;
}

function requestedModel(body: unknown): string | null {
  const model = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).model : undefined;
  return typeof model === 'string' && model.length > 0 ? model.slice(0, 256) : null;
}

/** Pricing refuses implausible usage (from a broken or hostile upstream); log it unpriced rather than lose the record. */
function costOrUnpriced(provider: string, model: string, usage: TokenUsage, prices: readonly ModelPriceOverride[]): RequestCost {
  try {
    return computeCost(provider, model, usage, prices);
  } catch (error) {
    if (error instanceof RangeError) return UNPRICED;
    throw error;
  }
}
