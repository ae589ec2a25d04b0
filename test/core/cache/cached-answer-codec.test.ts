import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CachedAnswerFormatError, decodeCachedAnswer, encodeCachedAnswer } from '../../../lambdas/core/cache/cached-answer-codec.js';
import type { CachedAnswer } from '../../../lambdas/core/ports/response-cache.js';

const answer: CachedAnswer = {
  status: 200,
  headers: { 'content-type': 'text/event-stream; charset=utf-8' },
  body: Buffer.from([0, 1, 2, 255, 0x0a, 0x0a]),
  stream: true,
  original: {
    requestId: 'req-1',
    createdAtMs: 1_764_000_000_000,
    latencyMs: 812,
    ttftMs: 120,
    model: 'gpt-4o-mini-2024-07-18',
    usage: { promptTokens: 10, completionTokens: 5, cachedTokens: 2, cacheWriteTokens: 0, cacheWrite1hTokens: 0, totalTokens: 15 },
  },
};

describe('the cached answer codec', () => {
  it('round-trips every field and the body bytes exactly', () => {
    const decoded = decodeCachedAnswer(encodeCachedAnswer(answer));
    assert.deepEqual({ ...decoded, body: Buffer.from(decoded.body) }, { ...answer, body: Buffer.from(answer.body) });
  });

  it('round-trips an answer without usage', () => {
    const withoutUsage = { ...answer, original: { ...answer.original, usage: null, ttftMs: null, model: null } };
    assert.deepEqual(decodeCachedAnswer(encodeCachedAnswer(withoutUsage)).original, withoutUsage.original);
  });

  it('refuses bytes it did not write', () => {
    const encoded = encodeCachedAnswer(answer);
    for (const bad of [
      Buffer.alloc(0),
      Buffer.from('hello world'),
      encoded.subarray(0, 20),
      Buffer.concat([Buffer.from([2]), encoded.subarray(1)]),
    ]) {
      assert.throws(() => decodeCachedAnswer(bad), CachedAnswerFormatError);
    }
  });
});
