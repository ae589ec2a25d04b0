import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { decodeDeadLetter, encodeDeadLetter, type DeadLetter } from '../../../lambdas/core/request-log/dead-letter-codec.js';
import type { RequestLogRecord } from '../../../lambdas/core/request-log/request-log-record.js';
import { logRecord } from '../../support/request-log-records.js';

function record(overrides: Partial<RequestLogRecord> = {}): RequestLogRecord {
  return logRecord({
    id: 'req-dead',
    createdAtMs: Date.UTC(2025, 2, 14, 9, 0, 0),
    latencyMs: 321,
    costNanoUsd: 4_500,
    userId: 'alice',
    properties: { feature: 'chat' },
    keyName: 'checkout-app',
    ...overrides,
  });
}

const requestJson = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"héllo"}]}';
// Bytes that are not valid UTF-8 on their own, as gzip output usually is.
const binary = new Uint8Array([0x1f, 0x8b, 0x00, 0xff, 0xfe, 0x80, 0x7f]);

describe('dead-letter codec', () => {
  it('round-trips a letter with inline gzip bodies byte for byte', () => {
    const letter: DeadLetter = {
      record: record({ requestBody: { gzip: new Uint8Array(gzipSync(requestJson)) }, responseBody: { gzip: binary } }),
      reason: 'ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput',
      failedAtMs: Date.UTC(2025, 2, 14, 9, 0, 5),
    };
    const decoded = decodeDeadLetter(encodeDeadLetter(letter));

    const { requestBody, responseBody, ...rest } = decoded.record;
    const { requestBody: _r, responseBody: _s, ...expectedRest } = letter.record;
    assert.deepEqual(rest, expectedRest);
    assert.equal(decoded.reason, letter.reason);
    assert.equal(decoded.failedAtMs, letter.failedAtMs);
    assert.ok(requestBody && 'gzip' in requestBody);
    assert.equal(gunzipSync(requestBody.gzip).toString('utf8'), requestJson);
    assert.ok(responseBody && 'gzip' in responseBody);
    assert.deepEqual([...responseBody.gzip], [...binary]);
  });

  it('round-trips bodies stored as they are (under the gzip threshold) byte for byte', () => {
    const letter: DeadLetter = {
      record: record({ requestBody: { raw: new Uint8Array(Buffer.from(requestJson)) }, responseBody: { raw: binary } }),
      reason: 'r',
      failedAtMs: 1,
    };
    const { requestBody, responseBody } = decodeDeadLetter(encodeDeadLetter(letter)).record;
    assert.ok(requestBody && 'raw' in requestBody);
    assert.equal(Buffer.from(requestBody.raw).toString('utf8'), requestJson);
    assert.ok(responseBody && 'raw' in responseBody);
    assert.deepEqual([...responseBody.raw], [...binary]);
  });

  it('round-trips bodies already in the bucket as their keys', () => {
    const letter: DeadLetter = {
      record: record({
        requestBody: { s3Key: 'bodies/2025-03-14/req-dead/request.gz' },
        responseBody: { s3Key: 'bodies/2025-03-14/req-dead/response.gz' },
      }),
      reason: 'timeout',
      failedAtMs: 1,
    };
    assert.deepEqual(decodeDeadLetter(encodeDeadLetter(letter)), letter);
  });

  it('round-trips a letter without bodies', () => {
    const letter: DeadLetter = { record: record(), reason: 'boom', failedAtMs: 2 };
    assert.deepEqual(decodeDeadLetter(encodeDeadLetter(letter)), letter);
  });

  it('round-trips a sparse record with nulls and a mix of body kinds', () => {
    const letter: DeadLetter = {
      record: record({
        model: null,
        userId: null,
        costNanoUsd: null,
        unpriced: true,
        ttftMs: null,
        keyName: null,
        requestBody: null,
        responseBody: { s3Key: 'k' },
      }),
      reason: 'x',
      failedAtMs: 3,
    };
    assert.deepEqual(decodeDeadLetter(encodeDeadLetter(letter)), letter);
  });

  it('writes plain JSON text (an SQS message body or a spool file) with bodies as base64', () => {
    const text = encodeDeadLetter({ record: record({ responseBody: { gzip: binary } }), reason: 'r', failedAtMs: 4 });
    const parsed = JSON.parse(text);
    assert.equal(parsed.record.responseBody.gzipBase64, Buffer.from(binary).toString('base64'));
    assert.equal(parsed.record.id, 'req-dead');
  });

  it('throws on text that is not a dead letter', () => {
    for (const text of [
      '',
      'not json',
      '{',
      'null',
      '42',
      '"text"',
      '[]',
      '{}',
      '{"record":{}}',
      '{"record":{"id":"x"}}',
      '{"record":{"id":1,"createdAtMs":1}}',
      '{"record":{"id":"x","createdAtMs":"1"}}',
    ]) {
      assert.throws(() => decodeDeadLetter(text), Error, JSON.stringify(text));
    }
  });

  it('names what is missing when the JSON is not a dead letter', () => {
    assert.throws(() => decodeDeadLetter('{"hello":"world"}'), /not a Lookout dead letter/);
  });
});
