import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestSummaryJson } from '../../../lambdas/core/query/request-summary-json.js';
import { fullRecord, sparseRecord } from '../../support/request-log-records.js';

describe('requestSummaryJson', () => {
  it('turns times into ISO-8601 and nano-dollars into USD, without bodies', () => {
    const json = requestSummaryJson(fullRecord());
    assert.equal(json.createdAt, '2025-03-14T23:59:59.999Z');
    assert.equal(json.costUsd, 0.001546);
    assert.equal('requestBody' in json, false);
    assert.equal('responseBody' in json, false);
    assert.equal('createdAtMs' in json, false);
    assert.equal('costNanoUsd' in json, false);
  });

  it('keeps an unknown cost null, never 0', () => {
    const json = requestSummaryJson({ ...fullRecord(), costNanoUsd: null, unpriced: true });
    assert.equal(json.costUsd, null);
    assert.equal(json.unpriced, true);
  });

  it("gives a hit's saving in USD", () => {
    const json = requestSummaryJson(fullRecord());
    assert.equal(json.savedUsd, 0.001546);
    assert.equal(json.cacheStatus, 'hit');
  });

  it('keeps a real zero cost as 0', () => {
    assert.equal(requestSummaryJson({ ...fullRecord(), costNanoUsd: 0 }).costUsd, 0);
  });

  it('has exactly the fields of the API contract', () => {
    assert.deepEqual(Object.keys(requestSummaryJson(sparseRecord())).sort(), [
      'cacheHit',
      'cacheStatus',
      'cacheWriteTokens',
      'cachedTokens',
      'completionTokens',
      'costUsd',
      'createdAt',
      'errorCode',
      'id',
      'keyName',
      'latencyMs',
      'method',
      'model',
      'outcome',
      'path',
      'promptId',
      'promptTokens',
      'properties',
      'provider',
      'rateLimited',
      'rateLimitedBy',
      'responseBodyTruncated',
      'savedCompletionTokens',
      'savedLatencyMs',
      'savedPromptTokens',
      'savedTotalTokens',
      'savedUsd',
      'sessionId',
      'sessionName',
      'sessionPath',
      'status',
      'stream',
      'totalTokens',
      'ttftMs',
      'unpriced',
      'userId',
    ]);
  });

  it('passes the other fields through unchanged', () => {
    const record = fullRecord();
    const json = requestSummaryJson(record);
    assert.equal(json.id, record.id);
    assert.equal(json.model, record.model);
    assert.equal(json.ttftMs, 340);
    assert.equal(json.userId, 'alice');
    assert.deepEqual(json.properties, record.properties);
  });
});
