/**
 * The DynamoDB backend of the response cache against DynamoDB Local (the table made from
 * `responseCacheTableSchema`, TTL on, as the CDK stack makes it) and the local S3 server for
 * entries too large for an item: the port's contract, then what is particular to this backend:
 * where a large entry goes, an item past its `expiresAt` that DynamoDB has not deleted yet, a
 * large entry whose object is gone, and BatchGetItem's unprocessed keys (from a proxy in front
 * of DynamoDB Local, which never leaves any).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { dynamoDbJsonClientFromEnv, type DynamoDbJsonClient } from '../../../lambdas/adapters/dynamodb/dynamodb-json-client.js';
import {
  INLINE_ENTRY_MAX_BYTES,
  largeEntryObjectKey,
  ResponseCacheTable,
} from '../../../lambdas/adapters/dynamodb/response-cache-table.js';
import { bodyObjectReaderFromEnv } from '../../../lambdas/adapters/s3/body-object-reader.js';
import { bodyObjectWriterFromEnv } from '../../../lambdas/adapters/s3/body-object-writer.js';
import { SINGLE_ATTEMPT } from '../../../lambdas/adapters/sdk-retry-options.js';
import { EnvironmentVariable } from '../../../lambdas/contract/environment-variables.js';
import { responseCacheTableSchema } from '../../../lambdas/contract/table-schemas.js';
import { encodeCachedAnswer } from '../../../lambdas/core/cache/cached-answer-codec.js';
import { DynamoDbLocal } from '../../../lambdas/local/dynamodb-local.js';
import { freePort } from '../../../lambdas/local/free-port.js';
import { createTableInput } from '../../../lambdas/local/local-tables.js';
import { S3Local } from '../../../lambdas/local/s3-local.js';
import { bufferedAnswer, describeResponseCacheContract, newBucketKey } from '../response-cache-contract.js';
import { FaultInjectingProxy } from './fault-injecting-proxy.js';

const TABLE = 'lookout-response-cache-test';
const BUCKET = 'lookout-bodies-cache-test';
const FAR_FUTURE_EPOCH_SECONDS = 4_102_444_800; // 2100-01-01

const directory = mkdtempSync(join(tmpdir(), 'lookout-cache-table-'));
let dynamo: DynamoDbLocal;
let s3: S3Local;
let env: Record<string, string>;
let dynamoDb: DynamoDbJsonClient;

before(async () => {
  dynamo = new DynamoDbLocal(await freePort(), join(directory, 'dynamodb'));
  s3 = new S3Local(await freePort(), join(directory, 's3'), BUCKET);
  await Promise.all([dynamo.start(), s3.start()]);
  env = { AWS_REGION: 'local', [EnvironmentVariable.dynamodbEndpoint]: dynamo.endpoint, [EnvironmentVariable.s3Endpoint]: s3.endpoint };
  const admin = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await admin.send(new CreateTableCommand(createTableInput(TABLE, responseCacheTableSchema)));
    await admin.send(
      new UpdateTimeToLiveCommand({
        TableName: TABLE,
        TimeToLiveSpecification: { AttributeName: responseCacheTableSchema.timeToLiveAttribute!, Enabled: true },
      }),
    );
  } finally {
    admin.destroy();
  }
  dynamoDb = dynamoDbJsonClientFromEnv(env, SINGLE_ATTEMPT);
});

after(async () => {
  await Promise.all([dynamo?.stop(), s3?.stop()]);
  rmSync(directory, { recursive: true, force: true });
});

/** The cache as the gateway builds it, with its own clock (`now`) and DynamoDB client (one through a proxy, say). */
function cacheTable({ now = Date.now, client = dynamoDb }: { now?: () => number; client?: DynamoDbJsonClient } = {}): ResponseCacheTable {
  return new ResponseCacheTable({
    dynamoDb: client,
    tableName: TABLE,
    now,
    largeEntries: { writer: bodyObjectWriterFromEnv(env, BUCKET), reader: bodyObjectReaderFromEnv(env, BUCKET) },
  });
}

describeResponseCacheContract('DynamoDB, with S3 for large entries', async () => ({
  cache: cacheTable(),
  storeCorruptEntry: async (bucketKey, slot) =>
    dynamoDb.putItem({
      TableName: TABLE,
      Item: { cacheKey: `${bucketKey}:${slot}`, expiresAt: FAR_FUTURE_EPOCH_SECONDS, entry: Buffer.from('not a cached answer') },
    }),
}));

describe('ResponseCacheTable items', () => {
  it('keeps an entry that fits in its item, and puts a larger one in the bodies bucket under cache/, the item holding its key', async () => {
    const cache = cacheTable();
    const [small, large] = [newBucketKey(), newBucketKey()];
    const largeAnswer = { ...bufferedAnswer('large'), body: Buffer.alloc(INLINE_ENTRY_MAX_BYTES, 'a') };

    await cache.write(small, 0, bufferedAnswer('small'), 60);
    await cache.write(large, 0, largeAnswer, 60);

    const smallItem = await dynamoDb.getItem({ TableName: TABLE, Key: { cacheKey: `${small}:0` } });
    assert.ok(smallItem?.entry instanceof Uint8Array);
    assert.equal(smallItem.s3Key, undefined);
    const largeItem = await dynamoDb.getItem({ TableName: TABLE, Key: { cacheKey: `${large}:0` } });
    assert.equal(largeItem?.entry, undefined);
    assert.equal(largeItem?.s3Key, largeEntryObjectKey(`${large}:0`));
    assert.match(String(largeItem?.s3Key), /^cache\/[0-9a-f]{64}$/);
    assert.deepEqual(await bodyObjectReaderFromEnv(env, BUCKET).get(String(largeItem?.s3Key)), encodeCachedAnswer(largeAnswer));
  });

  it('writes expiresAt in epoch seconds, rounded up, from its clock', async () => {
    const bucketKey = newBucketKey();
    // A clock in the future: an item that had expired by the real clock could be swept by DynamoDB Local's TTL before it is read.
    const writtenAtSeconds = Date.UTC(2099, 0, 1) / 1000;
    await cacheTable({ now: () => writtenAtSeconds * 1000 + 250 }).write(bucketKey, 0, bufferedAnswer('timed'), 3_600);

    const item = await dynamoDb.getItem({ TableName: TABLE, Key: { cacheKey: `${bucketKey}:0` } });
    assert.equal(item?.expiresAt, writtenAtSeconds + 3_600 + 1);
  });

  it('reads an item whose expiresAt has passed as null, though DynamoDB has not deleted it yet', async () => {
    const bucketKey = newBucketKey();
    const writtenAt = Date.now();
    await cacheTable({ now: () => writtenAt }).write(bucketKey, 0, bufferedAnswer('stale'), 60);
    const later = cacheTable({ now: () => writtenAt + 61_000 });

    assert.deepEqual(await later.readBucket(bucketKey, 1), [null]);
    // Past its lifetime by the adapter's clock, not by DynamoDB Local's: its TTL sweep leaves it alone.
    assert.ok(await dynamoDb.getItem({ TableName: TABLE, Key: { cacheKey: `${bucketKey}:0` } }), 'the item is still in the table');
    assert.ok((await cacheTable({ now: () => writtenAt + 59_000 }).readBucket(bucketKey, 1))[0], 'and read before its expiry, it is there');
  });

  it("reads a large entry whose object is gone (the bucket's lifecycle rule) as null", async () => {
    const cache = cacheTable();
    const bucketKey = newBucketKey();
    await cache.write(bucketKey, 0, { ...bufferedAnswer('large'), body: Buffer.alloc(INLINE_ENTRY_MAX_BYTES + 1, 'b') }, 60);
    const sdk = new S3Client({
      endpoint: s3.endpoint,
      forcePathStyle: true,
      region: 'local',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    try {
      await sdk.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: largeEntryObjectKey(`${bucketKey}:0`) }));
    } finally {
      sdk.destroy();
    }

    assert.deepEqual(await cache.readBucket(bucketKey, 1), [null]);
  });
});

describe('ResponseCacheTable and the keys BatchGetItem leaves unprocessed', () => {
  let proxy: FaultInjectingProxy;
  let cache: ResponseCacheTable;
  before(async () => {
    proxy = await FaultInjectingProxy.start(dynamo.endpoint);
    cache = cacheTable({
      client: dynamoDbJsonClientFromEnv({ ...env, [EnvironmentVariable.dynamodbEndpoint]: proxy.url }, SINGLE_ATTEMPT),
    });
  });
  after(async () => {
    await proxy?.close();
  });
  beforeEach(() => {
    proxy.faults.length = 0;
    proxy.operations.length = 0;
  });

  /** A BatchGetItem answer that found nothing and left every slot of the bucket unprocessed. */
  const allUnprocessed = (bucketKey: string, slots: number) => ({
    kind: 'answer' as const,
    status: 200,
    body: JSON.stringify({
      Responses: { [TABLE]: [] },
      UnprocessedKeys: { [TABLE]: { Keys: Array.from({ length: slots }, (_, slot) => ({ cacheKey: { S: `${bucketKey}:${slot}` } })) } },
    }),
  });

  it('asks again for the keys left unprocessed, and reads them', async () => {
    const bucketKey = newBucketKey();
    const answer = bufferedAnswer('after a retry');
    await cache.write(bucketKey, 1, answer, 60);
    proxy.faults.push(allUnprocessed(bucketKey, 2));

    const read = await cache.readBucket(bucketKey, 2);

    assert.equal(read[0], null);
    assert.equal(read[1]?.original.requestId, answer.original.requestId);
    assert.equal(proxy.count('BatchGetItem'), 2);
  });

  it('reads keys still unprocessed after two more calls as null, and makes no further call', async () => {
    const bucketKey = newBucketKey();
    await cache.write(bucketKey, 0, bufferedAnswer('never reached'), 60);
    proxy.faults.push(allUnprocessed(bucketKey, 1), allUnprocessed(bucketKey, 1), allUnprocessed(bucketKey, 1));

    assert.deepEqual(await cache.readBucket(bucketKey, 1), [null]);
    assert.equal(proxy.count('BatchGetItem'), 3);
  });

  it('rejects when BatchGetItem fails: a failure is not a miss', async () => {
    proxy.faults.push({ kind: 'error', status: 500, type: 'InternalServerError' });

    await assert.rejects(cache.readBucket(newBucketKey(), 1), { name: 'InternalServerError' });
  });

  it('rejects a BatchGetItem answer it cannot read', async () => {
    proxy.faults.push({ kind: 'answer', status: 200, body: JSON.stringify({ Responses: { [TABLE]: 'not a list' } }) });

    await assert.rejects(cache.readBucket(newBucketKey(), 1), { name: 'MalformedResponseError' });
  });
});
