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
    rateLimited: false,
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
