import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMonitoringHeaders } from '../../../lambdas/core/headers/monitoring-headers.js';
import { buildRequestLogRecord, type FinishedRequest } from '../../../lambdas/core/request-log/build-request-log-record.js';
import type { ModelPriceOverride } from '../../../lambdas/contract/runtime-config-schema.js';
import type { TokenUsage } from '../../../lambdas/core/usage/token-usage.js';

const STARTED_AT_MS = Date.UTC(2025, 2, 14, 9, 26, 53);

function usage(overrides: Partial<TokenUsage> = {}): TokenUsage {
  const promptTokens = overrides.promptTokens ?? 1000;
  const completionTokens = overrides.completionTokens ?? 500;
  return {
    promptTokens,
    completionTokens,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    totalTokens: promptTokens + completionTokens,
    ...overrides,
  };
}

function finished(overrides: Partial<FinishedRequest> = {}): FinishedRequest {
  return {
    id: 'req-1',
    startedAtMs: STARTED_AT_MS,
    endedAtMs: STARTED_AT_MS + 1234,
    firstByteAtMs: undefined,
    provider: 'openai',
    method: 'POST',
    path: '/v1/chat/completions',
    monitoring: parseMonitoringHeaders({}),
    requestJson: { model: 'gpt-4o-mini', messages: [] },
    keyName: 'checkout-app',
    status: 200,
    outcome: 'completed',
    errorCode: null,
    stream: false,
    usage: usage(),
    reportedModel: null,
    responseBodyTruncated: false,
    cache: null,
    rateLimitedBy: null,
    ...overrides,
  };
}

const NO_OVERRIDES: readonly ModelPriceOverride[] = [];

describe('buildRequestLogRecord', () => {
  it('keeps the record, unpriced, when the upstream reports usage pricing cannot accept', () => {
    const impossible = usage({ promptTokens: 10, cachedTokens: 50 });
    const record = buildRequestLogRecord(finished({ usage: impossible }), NO_OVERRIDES);
    assert.equal(record.unpriced, true);
    assert.equal(record.costNanoUsd, null);
    assert.equal(record.promptTokens, 10);
  });

  it('records the request as it happened', () => {
    const record = buildRequestLogRecord(finished(), NO_OVERRIDES);
    assert.equal(record.id, 'req-1');
    assert.equal(record.createdAtMs, STARTED_AT_MS);
    assert.equal(record.provider, 'openai');
    assert.equal(record.method, 'POST');
    assert.equal(record.path, '/v1/chat/completions');
    assert.equal(record.status, 200);
    assert.equal(record.outcome, 'completed');
    assert.equal(record.errorCode, null);
    assert.equal(record.latencyMs, 1234);
    assert.equal(record.keyName, 'checkout-app');
    assert.equal(record.cacheHit, false);
    assert.equal(record.rateLimited, false);
    assert.equal('requestBody' in record, false, 'bodies are added by the recorder');
  });

  it('takes the token counts from the provider usage', () => {
    const record = buildRequestLogRecord(
      finished({
        usage: usage({ promptTokens: 1200, completionTokens: 300, cachedTokens: 200, cacheWriteTokens: 100, totalTokens: 1500 }),
        provider: 'anthropic',
        requestJson: { model: 'claude-3-5-haiku-20241022' },
      }),
      NO_OVERRIDES,
    );
    assert.equal(record.promptTokens, 1200);
    assert.equal(record.completionTokens, 300);
    assert.equal(record.cachedTokens, 200);
    assert.equal(record.cacheWriteTokens, 100);
    assert.equal(record.totalTokens, 1500);
  });

  it('prices the usage with the price table, in nano-dollars', () => {
    // gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per million tokens.
    const record = buildRequestLogRecord(
      finished({ usage: usage({ promptTokens: 1000, cachedTokens: 200, completionTokens: 500 }) }),
      NO_OVERRIDES,
    );
    assert.equal(record.costNanoUsd, 800 * 150 + 200 * 75 + 500 * 600);
    assert.equal(record.unpriced, false);
  });

  it('prices with a config override when there is one', () => {
    const prices: ModelPriceOverride[] = [{ provider: 'openai', model: 'gpt-4o-mini', input: 1, output: 2 }];
    const record = buildRequestLogRecord(finished({ usage: usage({ promptTokens: 1000, completionTokens: 500 }) }), prices);
    assert.equal(record.costNanoUsd, 1000 * 1000 + 500 * 2000);
  });

  it('leaves the cost null and marks the request unpriced for a model without a price, never 0', () => {
    const record = buildRequestLogRecord(finished({ requestJson: { model: 'my-fine-tune-nobody-prices' } }), NO_OVERRIDES);
    assert.equal(record.costNanoUsd, null);
    assert.equal(record.unpriced, true);
    assert.equal(record.promptTokens, 1000, 'tokens are still recorded');
  });

  it('marks a request unpriced when it used tokens but no model is known', () => {
    // Generic-route targets may answer without a model, and the body may not name one either.
    const record = buildRequestLogRecord(finished({ provider: 'custom', requestJson: undefined, reportedModel: null }), NO_OVERRIDES);
    assert.equal(record.model, null);
    assert.equal(record.promptTokens, 1000);
    assert.equal(record.costNanoUsd, null);
    assert.equal(record.unpriced, true, 'a request that used tokens must not count as free');
  });

  it('has null tokens and cost, and is not unpriced, without usage (e.g. a refused or failed request)', () => {
    const record = buildRequestLogRecord(
      finished({ usage: null, status: 500, outcome: 'upstream_error', errorCode: 'upstream_reset' }),
      NO_OVERRIDES,
    );
    for (const field of ['promptTokens', 'completionTokens', 'cachedTokens', 'cacheWriteTokens', 'totalTokens', 'costNanoUsd'] as const) {
      assert.equal(record[field], null, field);
    }
    assert.equal(record.unpriced, false);
    assert.equal(record.errorCode, 'upstream_reset');
    assert.equal(record.outcome, 'upstream_error');
  });

  it('records the time to first byte for streamed answers only', () => {
    const streamed = buildRequestLogRecord(finished({ stream: true, firstByteAtMs: STARTED_AT_MS + 250 }), NO_OVERRIDES);
    assert.equal(streamed.stream, true);
    assert.equal(streamed.ttftMs, 250);

    const buffered = buildRequestLogRecord(finished({ stream: false, firstByteAtMs: STARTED_AT_MS + 250 }), NO_OVERRIDES);
    assert.equal(buffered.ttftMs, null);

    const streamWithoutBytes = buildRequestLogRecord(finished({ stream: true, firstByteAtMs: undefined }), NO_OVERRIDES);
    assert.equal(streamWithoutBytes.ttftMs, null);
  });

  it('takes the model the provider reported over the requested one, and prices that', () => {
    const record = buildRequestLogRecord(
      finished({
        requestJson: { model: 'gpt-4o-mini' },
        reportedModel: 'gpt-4o-2024-08-06',
        usage: usage({ promptTokens: 1000, completionTokens: 0 }),
      }),
      NO_OVERRIDES,
    );
    assert.equal(record.model, 'gpt-4o-2024-08-06');
    // gpt-4o input is $2.50 per million, not gpt-4o-mini's $0.15.
    assert.equal(record.costNanoUsd, 1000 * 2500);
  });

  it('falls back to the model in the request body', () => {
    assert.equal(buildRequestLogRecord(finished({ requestJson: { model: 'gpt-4o-mini' } }), NO_OVERRIDES).model, 'gpt-4o-mini');
  });

  it('has no model when neither the provider nor a usable body names one', () => {
    for (const requestJson of [undefined, null, 'text', [], {}, { model: '' }, { model: 42 }]) {
      assert.equal(buildRequestLogRecord(finished({ requestJson, usage: null }), NO_OVERRIDES).model, null, JSON.stringify(requestJson));
    }
  });

  it('bounds a requested model name that is absurdly long', () => {
    const record = buildRequestLogRecord(finished({ requestJson: { model: 'm'.repeat(10_000) }, usage: null }), NO_OVERRIDES);
    assert.equal(record.model?.length, 256);
  });

  it('takes the user from the User-Id header first', () => {
    const monitoring = parseMonitoringHeaders({ 'lookout-user-id': 'alice@example.com' });
    const record = buildRequestLogRecord(finished({ monitoring, requestJson: { model: 'gpt-4o-mini', user: 'bob' } }), NO_OVERRIDES);
    assert.equal(record.userId, 'alice@example.com');
  });

  it('falls back to the OpenAI body user, then Anthropic metadata.user_id', () => {
    assert.equal(buildRequestLogRecord(finished({ requestJson: { model: 'gpt-4o-mini', user: 'bob' } }), NO_OVERRIDES).userId, 'bob');
    assert.equal(
      buildRequestLogRecord(
        finished({ provider: 'anthropic', requestJson: { model: 'claude-3-5-haiku', metadata: { user_id: 'carol' } } }),
        NO_OVERRIDES,
      ).userId,
      'carol',
    );
    assert.equal(buildRequestLogRecord(finished({ requestJson: { model: 'gpt-4o-mini' } }), NO_OVERRIDES).userId, null);
  });

  it('copies session, prompt and custom properties from the headers', () => {
    const monitoring = parseMonitoringHeaders({
      'lookout-session-id': 'session-42',
      'lookout-session-path': '/plan/outline',
      'lookout-session-name': 'Trip planner',
      'lookout-prompt-id': 'summarise-v2',
      'lookout-property-feature': 'chat',
      'helicone-property-environment': 'staging',
    });
    const record = buildRequestLogRecord(finished({ monitoring }), NO_OVERRIDES);
    assert.equal(record.sessionId, 'session-42');
    assert.equal(record.sessionPath, '/plan/outline');
    assert.equal(record.sessionName, 'Trip planner');
    assert.equal(record.promptId, 'summarise-v2');
    assert.deepEqual(record.properties, { feature: 'chat', environment: 'staging' });
  });

  it('copies the properties rather than sharing the header object', () => {
    const monitoring = parseMonitoringHeaders({ 'lookout-property-feature': 'chat' });
    const record = buildRequestLogRecord(finished({ monitoring }), NO_OVERRIDES);
    record.properties.extra = 'x';
    assert.deepEqual(monitoring.properties, { feature: 'chat' });
  });

  it('leaves session fields null when no session headers were sent', () => {
    const record = buildRequestLogRecord(finished(), NO_OVERRIDES);
    assert.equal(record.sessionId, null);
    assert.equal(record.sessionPath, null);
    assert.equal(record.sessionName, null);
    assert.equal(record.promptId, null);
    assert.deepEqual(record.properties, {});
  });

  describe('a cache hit', () => {
    const original = {
      requestId: 'req-0',
      createdAtMs: STARTED_AT_MS - 60_000,
      latencyMs: 2_000,
      ttftMs: null,
      model: 'gpt-4o-mini-2024-07-18',
      usage: usage(),
    };
    const hit = (overrides: Partial<FinishedRequest> = {}) =>
      buildRequestLogRecord(finished({ usage: null, cache: { status: 'hit', bucketIdx: 0, original }, ...overrides }), NO_OVERRIDES);

    it('costs nothing and bills no tokens; the saved fields hold what the original cost', () => {
      const record = hit();
      const billed = buildRequestLogRecord(finished({ reportedModel: original.model }), NO_OVERRIDES);
      assert.equal(record.cacheHit, true);
      assert.equal(record.cacheStatus, 'hit');
      assert.equal(record.costNanoUsd, 0);
      assert.equal(record.unpriced, false);
      assert.deepEqual([record.promptTokens, record.completionTokens, record.totalTokens], [0, 0, 0]);
      assert.equal(record.savedNanoUsd, billed.costNanoUsd);
      assert.ok((record.savedNanoUsd ?? 0) > 0);
      assert.deepEqual([record.savedPromptTokens, record.savedCompletionTokens, record.savedTotalTokens], [1000, 500, 1500]);
      assert.equal(record.model, original.model);
    });

    it('saves the latency it did not spend, never less than nothing', () => {
      assert.equal(hit().savedLatencyMs, 2_000 - 1_234);
      assert.equal(hit({ endedAtMs: STARTED_AT_MS + 5_000 }).savedLatencyMs, 0);
    });

    it('has no saved cost for an unpriced original, and is still free', () => {
      const record = hit({ cache: { status: 'hit', bucketIdx: 0, original: { ...original, model: 'my-own-model' } } });
      assert.equal(record.costNanoUsd, 0);
      assert.equal(record.savedNanoUsd, null);
      assert.equal(record.savedTotalTokens, 1500);
    });

    it('leaves tokens null when the original reported none', () => {
      const record = hit({ cache: { status: 'hit', bucketIdx: 0, original: { ...original, usage: null } } });
      assert.equal(record.totalTokens, null);
      assert.equal(record.savedTotalTokens, null);
      assert.equal(record.costNanoUsd, 0);
    });
  });

  it('records a miss and an unavailable cache with nothing saved', () => {
    for (const status of ['miss', 'unavailable'] as const) {
      const record = buildRequestLogRecord(finished({ cache: { status } }), NO_OVERRIDES);
      assert.equal(record.cacheStatus, status);
      assert.equal(record.cacheHit, false);
      assert.equal(record.savedNanoUsd, null);
      assert.equal(record.savedLatencyMs, null);
      assert.equal(record.totalTokens, 1500);
    }
    assert.equal(buildRequestLogRecord(finished(), NO_OVERRIDES).cacheStatus, null);
  });

  it('marks a request refused by a quota as rate limited, with the quota that refused it', () => {
    const refused = buildRequestLogRecord(
      finished({ status: 429, outcome: 'rejected', errorCode: 'quota_exceeded', usage: null, rateLimitedBy: 'free-daily' }),
      NO_OVERRIDES,
    );
    assert.equal(refused.rateLimited, true);
    assert.equal(refused.rateLimitedBy, 'free-daily');
    const served = buildRequestLogRecord(finished(), NO_OVERRIDES);
    assert.equal(served.rateLimited, false);
    assert.equal(served.rateLimitedBy, null);
  });
});
