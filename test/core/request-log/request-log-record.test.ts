import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import {
  requestLogItem,
  requestLogRecordFromItem,
  requestSummaryJson,
  utcDay,
  type RequestLogRecord,
} from '../../../lambdas/core/request-log/request-log-record.js';

const CREATED_AT_MS = Date.UTC(2025, 2, 14, 23, 59, 59, 999);

/** A fully populated record: every nullable field set. */
function fullRecord(): RequestLogRecord {
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
    cacheHit: false,
    rateLimited: false,
    keyName: 'checkout-app',
    responseBodyTruncated: false,
    requestBody: { gzip: new Uint8Array(gzipSync('{"model":"claude-3-5-haiku"}')) },
    responseBody: { s3Key: 'bodies/2025-03-14/req-full/response.gz' },
  };
}

/** A refused request: nothing but the essentials. */
function sparseRecord(): RequestLogRecord {
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
    rateLimited: true,
    keyName: null,
    requestBody: null,
    responseBody: null,
  };
}

describe('utcDay', () => {
  it('is the UTC calendar day of an instant', () => {
    assert.equal(utcDay(CREATED_AT_MS), '2025-03-14');
    assert.equal(utcDay(CREATED_AT_MS + 1), '2025-03-15');
    assert.equal(utcDay(0), '1970-01-01');
  });
});

describe('requestLogItem', () => {
  it('adds the byDay partition and the TTL', () => {
    const item = requestLogItem(fullRecord(), 30);
    assert.equal(item.day, '2025-03-14');
    assert.equal(item.expiresAt, Math.floor(CREATED_AT_MS / 1000) + 30 * 86_400);
    assert.ok(Number.isInteger(item.expiresAt), 'DynamoDB TTL needs whole epoch seconds');
  });

  it('scales the TTL with the retention', () => {
    const createdAtS = Math.floor(CREATED_AT_MS / 1000);
    assert.equal(requestLogItem(fullRecord(), 1).expiresAt, createdAtS + 86_400);
    assert.equal(requestLogItem(fullRecord(), 365).expiresAt, createdAtS + 365 * 86_400);
  });

  it('leaves null fields out so the user and session indexes stay sparse', () => {
    const item = requestLogItem(sparseRecord(), 30);
    for (const name of ['userId', 'sessionId', 'model', 'costNanoUsd', 'ttftMs', 'promptTokens', 'keyName', 'requestBody', 'responseBody']) {
      assert.equal(name in item, false, `${name} should be absent`);
    }
    assert.ok(!Object.values(item).includes(null));
  });

  it('keeps false, zero and empty values, which are not absent', () => {
    const item = requestLogItem({ ...sparseRecord(), costNanoUsd: 0, promptTokens: 0, ttftMs: 0 }, 30);
    assert.equal(item.costNanoUsd, 0);
    assert.equal(item.promptTokens, 0);
    assert.equal(item.ttftMs, 0);
    assert.equal(item.unpriced, false);
    assert.equal(item.stream, false);
    assert.deepEqual(item.properties, {});
  });

  it('keeps the index keys of a request that has them', () => {
    const item = requestLogItem(fullRecord(), 30);
    assert.equal(item.userId, 'alice');
    assert.equal(item.sessionId, 'session-42');
    assert.equal(item.createdAtMs, CREATED_AT_MS);
  });

  it('does not change the record', () => {
    const record = sparseRecord();
    requestLogItem(record, 30);
    assert.deepEqual(record, sparseRecord());
  });
});

describe('requestLogRecordFromItem', () => {
  it('gives back the record that was stored, full or sparse', () => {
    for (const record of [fullRecord(), sparseRecord()]) {
      assert.deepEqual(requestLogRecordFromItem(requestLogItem(record, 30)), record, record.id);
    }
  });

  it('does not expose the table-only attributes', () => {
    const record = requestLogRecordFromItem(requestLogItem(fullRecord(), 30));
    assert.equal('day' in record, false);
    assert.equal('expiresAt' in record, false);
  });

  it('fills defaults for flags and properties missing from older items', () => {
    const record = requestLogRecordFromItem({
      id: 'old', createdAtMs: 1, provider: 'openai', method: 'POST', path: '/v1/x', status: 200, outcome: 'completed',
      stream: false, latencyMs: 5, day: '1970-01-01', expiresAt: 100,
    });
    assert.deepEqual(record.properties, {});
    assert.equal(record.cacheHit, false);
    assert.equal(record.rateLimited, false);
    assert.equal(record.unpriced, false);
    assert.equal(record.userId, null);
    assert.equal(record.requestBody, null);
  });
});

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

  it('keeps a real zero cost as 0', () => {
    assert.equal(requestSummaryJson({ ...fullRecord(), costNanoUsd: 0 }).costUsd, 0);
  });

  it('has exactly the fields of the API contract', () => {
    assert.deepEqual(Object.keys(requestSummaryJson(sparseRecord())).sort(), [
      'cacheHit', 'cacheWriteTokens', 'cachedTokens', 'completionTokens', 'costUsd', 'createdAt', 'errorCode', 'id',
      'keyName', 'latencyMs', 'method', 'model', 'outcome', 'path', 'promptId', 'promptTokens', 'properties', 'provider',
      'rateLimited', 'responseBodyTruncated', 'sessionId', 'sessionName', 'sessionPath', 'status', 'stream', 'totalTokens', 'ttftMs', 'unpriced', 'userId',
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
