/** The defaults every table, bucket, queue and cache gets, each asserted on its own, and a caller's prop winning over one. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BucketEncryption } from 'aws-cdk-lib/aws-s3';
import type { TableSchema } from '../../../lambdas/contract/table-schemas.js';
import { lookoutBucket, lookoutQueue, lookoutServerlessCache, lookoutTable } from '../../../lib/constructs/data-resources.js';

function build(add: (stack: Stack) => void): Template {
  const stack = new Stack(new App(), 'Test');
  add(stack);
  return Template.fromStack(stack);
}

function onlyResource(
  template: Template,
  type: string,
): { Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string } {
  const resources = Object.values(template.findResources(type));
  assert.equal(resources.length, 1, type);
  return resources[0] as never;
}

const streamedSchema: TableSchema = {
  partitionKey: { name: 'id', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  streamsNewImages: true,
  globalIndexes: [{ indexName: 'byDay', partitionKey: { name: 'day', type: 'S' }, sortKey: { name: 'createdAtMs', type: 'N' } }],
};
const plainSchema: TableSchema = { partitionKey: { name: 'keyHash', type: 'S' }, globalIndexes: [], streamsNewImages: false };

describe('lookoutTable', () => {
  const table = onlyResource(
    build((stack) => lookoutTable(stack, 'Table', plainSchema)),
    'AWS::DynamoDB::Table',
  );

  it('bills on demand', () => {
    assert.equal(table.Properties.BillingMode, 'PAY_PER_REQUEST');
  });

  it('has point-in-time recovery', () => {
    assert.deepEqual(table.Properties.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true });
  });

  it('is retained when its stack is deleted or it is replaced', () => {
    assert.equal(table.DeletionPolicy, 'Retain');
    assert.equal(table.UpdateReplacePolicy, 'Retain');
  });

  it('takes its key from the schema, with no stream, TTL or index the schema does not name', () => {
    assert.deepEqual(table.Properties.KeySchema, [{ AttributeName: 'keyHash', KeyType: 'HASH' }]);
    assert.deepEqual(table.Properties.AttributeDefinitions, [{ AttributeName: 'keyHash', AttributeType: 'S' }]);
    for (const absent of ['StreamSpecification', 'TimeToLiveSpecification', 'GlobalSecondaryIndexes'])
      assert.equal(table.Properties[absent], undefined, absent);
  });

  it("takes the schema's TTL attribute, new-image stream and indexes (all attributes projected)", () => {
    build((stack) => lookoutTable(stack, 'Table', streamedSchema)).hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byDay',
          KeySchema: [
            { AttributeName: 'day', KeyType: 'HASH' },
            { AttributeName: 'createdAtMs', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it("lets the caller's props win over a default", () => {
    const cacheTable = onlyResource(
      build((stack) =>
        lookoutTable(stack, 'Table', plainSchema, { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false } }),
      ),
      'AWS::DynamoDB::Table',
    );
    assert.deepEqual(cacheTable.Properties.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: false });
    assert.equal(cacheTable.Properties.BillingMode, 'PAY_PER_REQUEST', 'the other defaults stay');
  });
});

describe('lookoutBucket', () => {
  const template = build((stack) => lookoutBucket(stack, 'Bucket'));
  const bucket = onlyResource(template, 'AWS::S3::Bucket');

  it('encrypts objects with S3-managed keys', () => {
    assert.deepEqual(bucket.Properties.BucketEncryption, {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it('blocks every kind of public access', () => {
    assert.deepEqual(bucket.Properties.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('owns its objects (ACLs disabled)', () => {
    assert.deepEqual(bucket.Properties.OwnershipControls, { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('is retained when its stack is deleted or it is replaced', () => {
    assert.equal(bucket.DeletionPolicy, 'Retain');
    assert.equal(bucket.UpdateReplacePolicy, 'Retain');
  });

  it("lets the caller's props win over a default", () => {
    const kms = onlyResource(
      build((stack) => lookoutBucket(stack, 'Bucket', { encryption: BucketEncryption.KMS_MANAGED })),
      'AWS::S3::Bucket',
    );
    assert.equal(
      kms.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
      'aws:kms',
    );
    assert.equal(kms.DeletionPolicy, 'Retain', 'the other defaults stay');
  });
});

describe('lookoutQueue', () => {
  const template = build((stack) => lookoutQueue(stack, 'Queue'));
  const queue = onlyResource(template, 'AWS::SQS::Queue');

  it('encrypts messages with SQS-managed keys', () => {
    assert.equal(queue.Properties.SqsManagedSseEnabled, true);
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('is retained when its stack is deleted or it is replaced', () => {
    assert.equal(queue.DeletionPolicy, 'Retain');
    assert.equal(queue.UpdateReplacePolicy, 'Retain');
  });

  it("lets the caller's props win over a default", () => {
    const kept = onlyResource(
      build((stack) => lookoutQueue(stack, 'Queue', { retentionPeriod: Duration.days(14) })),
      'AWS::SQS::Queue',
    );
    assert.equal(kept.Properties.MessageRetentionPeriod, 14 * 24 * 60 * 60);
    assert.equal(kept.Properties.SqsManagedSseEnabled, true, 'the other defaults stay');
  });
});

describe('lookoutServerlessCache', () => {
  const template = build((stack) =>
    lookoutServerlessCache(stack, 'Cache', { serverlessCacheName: 'test-cache', subnetIds: ['subnet-1', 'subnet-2'] }),
  );
  const cache = onlyResource(template, 'AWS::ElastiCache::ServerlessCache');

  it('runs Valkey', () => {
    assert.equal(cache.Properties.Engine, 'valkey');
  });

  it('pins a major engine version, so that an upgrade is a reviewed change', () => {
    assert.equal(cache.Properties.MajorEngineVersion, '8');
  });

  it('is deleted with its stack or on replacement, since the next misses rebuild it', () => {
    assert.equal(cache.DeletionPolicy, 'Delete');
    assert.equal(cache.UpdateReplacePolicy, 'Delete');
  });

  it("takes the caller's name and network", () => {
    assert.equal(cache.Properties.ServerlessCacheName, 'test-cache');
    assert.deepEqual(cache.Properties.SubnetIds, ['subnet-1', 'subnet-2']);
  });
});
