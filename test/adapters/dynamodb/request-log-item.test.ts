import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestLogItem, requestLogRecordFromItem } from '../../../lambdas/adapters/dynamodb/request-log-item.js';
import { CREATED_AT_MS, fullRecord, sparseRecord } from '../../support/request-log-records.js';

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
    for (const name of [
      'userId',
      'sessionId',
      'model',
      'costNanoUsd',
      'ttftMs',
      'promptTokens',
      'keyName',
      'requestBody',
      'responseBody',
    ]) {
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
      id: 'old',
      createdAtMs: 1,
      provider: 'openai',
      method: 'POST',
      path: '/v1/x',
      status: 200,
      outcome: 'completed',
      stream: false,
      latencyMs: 5,
      day: '1970-01-01',
      expiresAt: 100,
    });
    assert.deepEqual(record.properties, {});
    assert.equal(record.cacheHit, false);
    assert.equal(record.rateLimited, false);
    assert.equal(record.unpriced, false);
    assert.equal(record.userId, null);
    assert.equal(record.requestBody, null);
  });
});

describe('damaged items', () => {
  const item = () => requestLogItem(fullRecord(), 30);

  it('are an error that names the item and the field, not a record with holes', () => {
    assert.throws(
      () => requestLogRecordFromItem({ ...item(), status: '200' }),
      /request-log item "req-full" is not a request log record: status: /,
    );
    assert.throws(() => requestLogRecordFromItem({ ...item(), outcome: 'exploded' }), /"req-full".*outcome/);
    assert.throws(() => requestLogRecordFromItem({ ...item(), requestBody: { gzip: 'not bytes' } }), /"req-full".*requestBody/);
    assert.throws(() => requestLogRecordFromItem({ ...item(), properties: { env: 7 } }), /"req-full".*properties\.env/);
  });

  it('say so when even the id is missing', () => {
    const { id: _id, ...withoutId } = item();
    assert.throws(() => requestLogRecordFromItem(withoutId), /request-log item \(without an id\).*id/);
  });
});
