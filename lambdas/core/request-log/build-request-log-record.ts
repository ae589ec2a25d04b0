import type { MonitoringHeaders } from '../headers/monitoring-headers.js';
import { resolveUserId } from '../headers/monitoring-headers.js';
import { computeCost, type RequestCost } from '../pricing/compute-cost.js';
import type { ModelPriceOverride } from '../../contract/runtime-config-schema.js';
import type { TokenUsage } from '../usage/token-usage.js';
import type { RequestLogRecord, RequestOutcome } from './request-log-record.js';

const UNPRICED: RequestCost = { costNanoUsd: null, unpriced: true };

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
}

/**
 * The log record for a finished request: tokens from the provider's usage, cost from the price
 * table (null and `unpriced` for unknown models, never 0), user from the header or the body.
 */
export function buildRequestLogRecord(
  request: FinishedRequest,
  prices: readonly ModelPriceOverride[],
): Omit<RequestLogRecord, 'requestBody' | 'responseBody'> {
  const { monitoring, usage } = request;
  const model = request.reportedModel ?? requestedModel(request.requestJson);
  // Tokens were used but no model names a price: unknown cost, not a free request.
  const cost = !usage ? null : model ? costOrUnpriced(request.provider, model, usage, prices) : UNPRICED;
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
    latencyMs: request.endedAtMs - request.startedAtMs,
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
    cacheHit: false,
    rateLimited: false,
    keyName: request.keyName,
    responseBodyTruncated: request.responseBodyTruncated,
  };
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
