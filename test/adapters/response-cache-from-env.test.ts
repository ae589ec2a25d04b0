/**
 * Which response cache an environment gets: Redis when `LOOKOUT_REDIS_URL` is set (against a
 * real redis-server), the DynamoDB table when only `LOOKOUT_CACHE_TABLE` is, none otherwise.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ResponseCacheTable } from '../../lambdas/adapters/dynamodb/response-cache-table.js';
import { responseCacheFromEnv } from '../../lambdas/adapters/response-cache-from-env.js';
import { EnvironmentVariable } from '../../lambdas/contract/environment-variables.js';
import { RedisServer } from '../support/redis-server.js';
import { bufferedAnswer, newBucketKey } from './response-cache-contract.js';

const TABLE_ENV = {
  AWS_REGION: 'local',
  [EnvironmentVariable.dynamodbEndpoint]: 'http://127.0.0.1:1',
  [EnvironmentVariable.s3Endpoint]: 'http://127.0.0.1:1',
  [EnvironmentVariable.cacheTable]: 'lookout-response-cache',
  [EnvironmentVariable.bodiesBucket]: 'lookout-bodies',
};

describe('responseCacheFromEnv', () => {
  let server: RedisServer;
  before(async () => {
    server = await RedisServer.start();
  });
  after(async () => {
    await server?.dispose();
  });

  it('configures no cache when neither a Redis URL nor a cache table is set', () => {
    assert.equal(responseCacheFromEnv({ AWS_REGION: 'eu-west-1' }), undefined);
  });

  it('uses the DynamoDB table when only LOOKOUT_CACHE_TABLE is set, and needs the bodies bucket for large entries', () => {
    assert.ok(responseCacheFromEnv(TABLE_ENV)?.cache instanceof ResponseCacheTable);
    const { [EnvironmentVariable.bodiesBucket]: _, ...withoutBucket } = TABLE_ENV;
    assert.throws(() => responseCacheFromEnv(withoutBucket), /LOOKOUT_BODIES_BUCKET/);
  });

  it('uses Redis when LOOKOUT_REDIS_URL is set, even beside a cache table', async () => {
    const backend = responseCacheFromEnv({ ...TABLE_ENV, [EnvironmentVariable.redisUrl]: server.url });
    assert.ok(backend);
    try {
      assert.ok(!(backend.cache instanceof ResponseCacheTable));
      const bucketKey = newBucketKey();
      const answer = bufferedAnswer('through the lazily loaded adapter');

      await backend.cache.write(bucketKey, 0, answer, 60);

      assert.equal((await backend.cache.readBucket(bucketKey, 1))[0]?.original.requestId, answer.original.requestId);
    } finally {
      await backend.close();
    }
  });

  it('rejects every call with the reason when the Redis URL cannot be used', async () => {
    const backend = responseCacheFromEnv({ [EnvironmentVariable.redisUrl]: 'http://127.0.0.1:6379' });
    assert.ok(backend);

    await assert.rejects(backend.cache.readBucket(newBucketKey(), 1), /redis:\/\/ or rediss:\/\//);
    await assert.rejects(backend.cache.write(newBucketKey(), 0, bufferedAnswer('x'), 60), /redis:\/\/ or rediss:\/\//);
    await backend.close();
  });

  it('takes LOOKOUT_REDIS_CLUSTER as true or false, and refuses anything else', async () => {
    for (const value of ['true', 'false', '']) {
      const backend = responseCacheFromEnv({ [EnvironmentVariable.redisUrl]: server.url, [EnvironmentVariable.redisCluster]: value });
      await backend?.close();
    }
    assert.throws(
      () => responseCacheFromEnv({ [EnvironmentVariable.redisUrl]: server.url, [EnvironmentVariable.redisCluster]: 'yes' }),
      /LOOKOUT_REDIS_CLUSTER must be true or false, not "yes"/,
    );
  });
});
