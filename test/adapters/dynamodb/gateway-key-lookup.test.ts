/**
 * The gateway's key lookup on the lean DynamoDB client, against DynamoDB Local: keys created by
 * `npm run keys`'s SDK-based table are found as they were stored, and a lookup, which is on the
 * request path, gets a few quick retries (throttling, 5xx, dropped connections, unreadable
 * answers) from a fault-injecting proxy in front of DynamoDB Local, and no more than that.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/adapters/dynamodb/document-client.js';
import { dynamoDbJsonClientFromEnv } from '../../../lambdas/adapters/dynamodb/dynamodb-json-client.js';
import { GatewayKeyLookup } from '../../../lambdas/adapters/dynamodb/gateway-key-lookup.js';
import { GatewayKeyTable } from '../../../lambdas/adapters/dynamodb/gateway-key-table.js';
import { QUICK_RETRIES } from '../../../lambdas/adapters/sdk-retry-options.js';
import { GatewayKeyAuthenticator } from '../../../lambdas/app/gateway-key-authenticator.js';
import { generateGatewayKey, hashGatewayKey, newGatewayKeyRecord, type GatewayKeyRecord } from '../../../lambdas/core/auth/gateway-key.js';
import { LookoutError } from '../../../lambdas/core/lookout-error.js';
import { startDynamoDbLocalTables, type DynamoDbLocalTables } from './dynamodb-local-tables.js';
import { FaultInjectingProxy, internalServerError, serviceUnavailable, throttled } from './fault-injecting-proxy.js';

let dynamo: DynamoDbLocalTables;
let proxy: FaultInjectingProxy;
let documents: DynamoDBDocumentClient;
/** Where `npm run keys` creates and revokes keys. */
let keysTable: GatewayKeyTable;
/** The lookup as the gateway builds it (quick retries), through the proxy. */
let lookup: GatewayKeyLookup;

before(async () => {
  dynamo = await startDynamoDbLocalTables();
  proxy = await FaultInjectingProxy.start(dynamo.endpoint);
  documents = createDocumentClient(dynamo.environment());
  keysTable = new GatewayKeyTable(documents, dynamo.tables.keys);
  lookup = new GatewayKeyLookup(dynamoDbJsonClientFromEnv(dynamo.environment(proxy.url), QUICK_RETRIES), dynamo.tables.keys);
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

async function createdKey(role: GatewayKeyRecord['role'] = 'app'): Promise<{ key: string; record: GatewayKeyRecord }> {
  const key = generateGatewayKey();
  const record = newGatewayKeyRecord(key, `lookup-test-${role}`, role, Date.now());
  await keysTable.create(record);
  return { key, record };
}

describe('GatewayKeyLookup', () => {
  it('finds a key created through the SDK-based table as it was stored, revocation included', async () => {
    const { record } = await createdKey('admin');
    assert.deepEqual(await lookup.findByHash(record.keyHash), record);

    const revokedAt = new Date().toISOString();
    assert.equal(await keysTable.revoke(record.keyHash, revokedAt), true);
    assert.deepEqual(await lookup.findByHash(record.keyHash), { ...record, revokedAt });
  });

  it('answers undefined for a hash no key has', async () => {
    assert.equal(await lookup.findByHash(hashGatewayKey(generateGatewayKey())), undefined);
    assert.equal(proxy.count('GetItem'), 1);
  });

  for (const [what, faults] of [
    ['throttling twice', [throttled('ThrottlingException'), throttled()]],
    ['a 500 and a 503', [internalServerError(), serviceUnavailable()]],
    ['a dropped connection', [{ kind: 'drop-connection' as const }]],
    ['a 200 cut short', [{ kind: 'forward-then-truncate' as const }]],
  ] as const) {
    it(`finds the key after ${what}, with quick retries`, async () => {
      const { record } = await createdKey();
      proxy.faults.push(...faults);

      assert.deepEqual(await lookup.findByHash(record.keyHash), record);
      assert.equal(proxy.count('GetItem'), faults.length + 1);
    });
  }

  it('gives up after three attempts, with the error AWS named', async () => {
    const { record } = await createdKey();
    proxy.faults.push(throttled(), throttled(), throttled(), throttled());

    await assert.rejects(lookup.findByHash(record.keyHash), { name: 'ProvisionedThroughputExceededException', status: 400 });
    assert.equal(proxy.count('GetItem'), 3);
  });

  it('does not retry an error that would only repeat (a missing table)', async () => {
    const elsewhere = new GatewayKeyLookup(dynamoDbJsonClientFromEnv(dynamo.environment(proxy.url), QUICK_RETRIES), 'no-such-table');

    await assert.rejects(elsewhere.findByHash(hashGatewayKey(generateGatewayKey())), { name: 'ResourceNotFoundException', status: 400 });
    assert.equal(proxy.count('GetItem'), 1);
  });

  it("tells the client to retry (503 naming DynamoDB's error) when the table stays throttled", async () => {
    const { key } = await createdKey();
    proxy.faults.push(throttled(), throttled(), throttled());
    const authenticator = new GatewayKeyAuthenticator(lookup, 60_000);

    const refusal = await authenticator.authenticate(key, 'app').then(
      () => assert.fail('a key that could not be checked must not pass'),
      (error: unknown) => error,
    );

    assert.ok(refusal instanceof LookoutError);
    assert.equal(refusal.status, 503);
    assert.match(refusal.message, /ProvisionedThroughputExceededException/);
    assert.deepEqual(await authenticator.authenticate(key, 'app').then((record) => record.keyHash), hashGatewayKey(key));
  });
});
