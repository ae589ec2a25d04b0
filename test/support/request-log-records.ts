import { gzipSync } from 'node:zlib';
import type { RequestLogRecord } from '../../lambdas/core/request-log/request-log-record.js';

/** A completed, priced OpenAI request; override what a test cares about. */
export function logRecord(overrides: Partial<RequestLogRecord> & { id: string; createdAtMs: number }): RequestLogRecord {
  return {
    provider: 'openai',
    model: 'gpt-4o-mini',
    method: 'POST',
    path: '/v1/chat/completions',
    status: 200,
    outcome: 'completed',
    errorCode: null,
    stream: false,
    latencyMs: 100,
    ttftMs: null,
    promptTokens: 10,
    completionTokens: 5,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    totalTokens: 15,
    costNanoUsd: 1_000,
    unpriced: false,
    userId: null,
    sessionId: null,
    sessionPath: null,
    sessionName: null,
    promptId: null,
    properties: {},
    cacheHit: false,
    cacheStatus: null,
    savedNanoUsd: null,
    savedPromptTokens: null,
    savedCompletionTokens: null,
    savedTotalTokens: null,
    savedLatencyMs: null,
    rateLimited: false,
    rateLimitedBy: null,
    keyName: 'test-app',
    responseBodyTruncated: false,
    requestBody: null,
    responseBody: null,
    ...overrides,
  };
}

/** A body stored inline, as the gateway stores small ones. */
export function inlineBody(text: string): { gzip: Uint8Array } {
  return { gzip: new Uint8Array(gzipSync(Buffer.from(text, 'utf8'))) };
}

/** When `fullRecord` and `sparseRecord` were made: the last millisecond of a UTC day. */
export const CREATED_AT_MS = Date.UTC(2025, 2, 14, 23, 59, 59, 999);

/** A fully populated record: every nullable field set. */
export function fullRecord(): RequestLogRecord {
  return {
    id: 'req-full',
    createdAtMs: CREATED_AT_MS,
    provider: 'anthropic',
    model: 'claude-3-5-haiku-20241022',
    method: 'POST',
    path: '/v1/messages',
    status: 200,
    outcome: 'completed',
    errorCode: null,
    stream: true,
    latencyMs: 2100,
    ttftMs: 340,
    promptTokens: 1200,
    completionTokens: 300,
    cachedTokens: 200,
    cacheWriteTokens: 100,
    totalTokens: 1500,
    costNanoUsd: 1_546_000,
    unpriced: false,
    userId: 'alice',
    sessionId: 'session-42',
    sessionPath: '/plan/outline',
    sessionName: 'Trip planner',
    promptId: 'summarise-v2',
    properties: { feature: 'chat', environment: 'staging' },
    cacheHit: true,
    cacheStatus: 'hit',
    savedNanoUsd: 1_546_000,
    savedPromptTokens: 1200,
    savedCompletionTokens: 300,
    savedTotalTokens: 1500,
    savedLatencyMs: 1900,
    rateLimited: false,
    rateLimitedBy: null,
    keyName: 'checkout-app',
    responseBodyTruncated: false,
    requestBody: { gzip: new Uint8Array(gzipSync('{"model":"claude-3-5-haiku"}')) },
    responseBody: { s3Key: 'bodies/2025-03-14/req-full/response.gz' },
  };
}

/** A refused request: nothing but the essentials. */
export function sparseRecord(): RequestLogRecord {
  return {
    ...fullRecord(),
    id: 'req-sparse',
    model: null,
    status: 429,
    outcome: 'rejected',
    errorCode: 'rate_limited',
    stream: false,
    latencyMs: 3,
    ttftMs: null,
    promptTokens: null,
    completionTokens: null,
    cachedTokens: null,
    cacheWriteTokens: null,
    totalTokens: null,
    costNanoUsd: null,
    userId: null,
    sessionId: null,
    sessionPath: null,
    sessionName: null,
    promptId: null,
    properties: {},
    cacheHit: false,
    cacheStatus: null,
    savedNanoUsd: null,
    savedPromptTokens: null,
    savedCompletionTokens: null,
    savedTotalTokens: null,
    savedLatencyMs: null,
    rateLimited: true,
    rateLimitedBy: 'free-daily',
    keyName: null,
    requestBody: null,
    responseBody: null,
  };
}
