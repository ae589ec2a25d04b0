/**
 * The request-log writer on the lean DynamoDB client, against DynamoDB Local: what it stores is
 * read back through the SDK-based reader the query API uses; throttling, 5xx, unreadable answers
 * and dropped connections come from a fault-injecting proxy in front of DynamoDB Local, and are
 * retried by the real recorder (short delays), which stores the record exactly once or
 * dead-letters it.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AwsNetworkError } from '../../../lambdas/adapters/aws-http/signed-aws-request.js';
import { createDocumentClient } from '../../../lambdas/adapters/dynamodb/document-client.js';
import { dynamoDbJsonClientFromEnv } from '../../../lambdas/adapters/dynamodb/dynamodb-json-client.js';
import { DynamoDbError } from '../../../lambdas/adapters/dynamodb/dynamodb-json-errors.js';
import { RequestLogTableReader } from '../../../lambdas/adapters/dynamodb/request-log-reader.js';
import { RequestLogWriter } from '../../../lambdas/adapters/dynamodb/request-log-writer.js';
import { SINGLE_ATTEMPT } from '../../../lambdas/adapters/sdk-retry-options.js';
import { RequestLogRecorder } from '../../../lambdas/app/request-log-recorder.js';
import type { DeadLetter } from '../../../lambdas/core/request-log/dead-letter-codec.js';
import type { RequestLogRecord } from '../../../lambdas/core/request-log/request-log-record.js';
import { RecordingLogger } from '../../support/gateway-fakes.js';
import { fullRecord, inlineBody, logRecord } from '../../support/request-log-records.js';
import { startDynamoDbLocalTables, type DynamoDbLocalTables } from './dynamodb-local-tables.js';
import { FaultInjectingProxy, internalServerError, serviceUnavailable, throttled } from './fault-injecting-proxy.js';

const RETENTION_DAYS = 30;

let dynamo: DynamoDbLocalTables;
let proxy: FaultInjectingProxy;
let documents: DynamoDBDocumentClient;
let reader: RequestLogTableReader;
/** The writer as the gateway builds it (one attempt per call), through the proxy. */
let writer: RequestLogWriter;

before(async () => {
  dynamo = await startDynamoDbLocalTables();
  proxy = await FaultInjectingProxy.start(dynamo.endpoint);
  documents = createDocumentClient(dynamo.environment());
  reader = new RequestLogTableReader(documents, dynamo.tables.requestLog);
  writer = new RequestLogWriter(
    dynamoDbJsonClientFromEnv(dynamo.environment(proxy.url), SINGLE_ATTEMPT),
    dynamo.tables.requestLog,
    RETENTION_DAYS,
  );
});

after(async () => {
  documents?.destroy();
  await proxy?.close();
  await dynamo?.stop();
});

beforeEach(() => {
  proxy.faults.length = 0;
  proxy.operations.length = 0;
  proxy.forwarded = 0;
});

let nextId = 0;
function newRecord(overrides: Partial<RequestLogRecord> = {}): RequestLogRecord {
  return logRecord({ id: `req-writer-${process.pid}-${nextId++}`, createdAtMs: Date.now(), ...overrides });
}

/** The real recorder over the writer, with short retry delays and in-memory bodies and dead letters. */
function recorderOverWriter() {
  const deadLetters: DeadLetter[] = [];
  const logger = new RecordingLogger();
  const recorder = new RequestLogRecorder({
    store: writer,
    bodies: { put: async () => assert.fail('no body in these tests goes to the bucket') },
    deadLetters: { send: async (letter) => void deadLetters.push(letter) },
    inlineBodyMaxBytes: 64 * 1024,
    retryDelaysMs: [5, 5, 5],
    logger,
    now: Date.now,
  });
  const record = (stored: RequestLogRecord) => {
    const { requestBody: _request, responseBody: _response, ...fields } = stored;
    return recorder.record(fields, { request: Buffer.from('{"model":"gpt-4o-mini"}'), response: Buffer.from('{"id":"chatcmpl-1"}') });
  };
  return { record, deadLetters, logger };
}

describe('RequestLogWriter on the lean client', () => {
  it('stores a record once, and what it stored reads back as the record it was given', async () => {
    // Created now: the table's TTL would have DynamoDB Local delete an item whose expiresAt has passed.
    const record = { ...fullRecord(), id: `req-full-${process.pid}`, createdAtMs: Date.now(), responseBody: inlineBody('{"id":"msg_1"}') };

    assert.equal(await writer.putOnce(record), true);

    assert.deepEqual(await reader.findById(record.id), record);
    assert.equal(proxy.count('PutItem'), 1);
  });

  it('reports an id already stored (false) and leaves the stored item as it was', async () => {
    const record = newRecord({ status: 200 });
    assert.equal(await writer.putOnce(record), true);

    assert.equal(await writer.putOnce({ ...record, status: 502, outcome: 'upstream_error' }), false);

    assert.deepEqual(await reader.findById(record.id), record);
  });

  it('makes one attempt per call: a throttled write is an error named as AWS names it, with its status', async () => {
    proxy.faults.push(throttled());

    const failed = await writer.putOnce(newRecord()).then(
      () => assert.fail('a throttled write must not succeed'),
      (error: unknown) => error,
    );

    assert.ok(failed instanceof DynamoDbError);
    assert.equal(failed.name, 'ProvisionedThroughputExceededException');
    assert.equal(failed.status, 400);
    assert.equal(proxy.count('PutItem'), 1, 'the recorder retries; the client must not');
  });

  it('takes a 200 whose body was cut short for an error, never for a success', async () => {
    proxy.faults.push({ kind: 'forward-then-truncate' });

    await assert.rejects(writer.putOnce(newRecord()), { name: 'MalformedResponseError', status: 200 });
  });

  it('surfaces a dropped connection as a network error', async () => {
    const record = newRecord();
    proxy.faults.push({ kind: 'drop-connection' });

    await assert.rejects(writer.putOnce(record), AwsNetworkError);
    assert.equal(await reader.findById(record.id), null);
  });
});

describe('RequestLogRecorder over the lean writer', () => {
  for (const [what, faults] of [
    ['throttling (ProvisionedThroughputExceededException, ThrottlingException)', [throttled(), throttled('ThrottlingException')]],
    ['a 500 InternalServerError and a 503 with a plain-text body', [internalServerError(), serviceUnavailable()]],
    ['a dropped connection', [{ kind: 'drop-connection' as const }]],
  ] as const) {
    it(`retries ${what} and stores the record exactly once`, async () => {
      const { record, deadLetters, logger } = recorderOverWriter();
      const stored = newRecord();
      proxy.faults.push(...faults);

      await record(stored);

      assert.equal(proxy.count('PutItem'), faults.length + 1);
      assert.equal(proxy.forwarded, 1, 'only the last attempt reached DynamoDB');
      assert.deepEqual(deadLetters, []);
      assert.deepEqual(logger.lines, []);
      const found = await reader.findById(stored.id);
      assert.equal(found?.id, stored.id);
      assert.equal(found?.status, stored.status);
    });
  }

  it('retries a write whose answer was cut short: the retry finds the record stored, and it stays stored once', async () => {
    const { record, deadLetters, logger } = recorderOverWriter();
    const stored = newRecord();
    proxy.faults.push({ kind: 'forward-then-truncate' });

    await record(stored);

    assert.equal(proxy.count('PutItem'), 2);
    assert.deepEqual(deadLetters, []);
    assert.equal((await reader.findById(stored.id))?.id, stored.id);
    // The second attempt's conditional put found the first one's item: nothing was written twice.
    assert.deepEqual(
      logger.lines.map((line) => [line.level, line.extra.requestId]),
      [['warn', stored.id]],
    );
  });

  it('dead-letters a record whose every write is answered 200 with a body that is not JSON, and stores nothing', async () => {
    const { record, deadLetters } = recorderOverWriter();
    const stored = newRecord();
    proxy.faults.push(...Array.from({ length: 4 }, () => ({ kind: 'answer' as const, status: 200, body: '<html>OK</html>' })));

    await record(stored);

    assert.equal(proxy.count('PutItem'), 4);
    assert.deepEqual(
      deadLetters.map((letter) => letter.record.id),
      [stored.id],
    );
    assert.match(deadLetters[0]!.reason, /not a JSON object/);
    assert.equal(await reader.findById(stored.id), null);
  });
});
