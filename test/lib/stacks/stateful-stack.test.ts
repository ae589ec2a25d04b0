import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseLookoutConfig } from '../../../lambdas/contract/lookout-config.js';
import { StatefulStack } from '../../../lib/stacks/stateful-stack.js';

// The stateful stack has no functions, so no bundling: building it directly is fast.
const config = parseLookoutConfig({ retentionDays: 45 });
const template = Template.fromStack(new StatefulStack(new App(), 'Stateful', { config }));

describe('stateful stack', () => {
  it('stores the request log by id, expiring items by expiresAt and streaming new items to the aggregator', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('indexes the request log by day, user and session, newest-first by createdAtMs', () => {
    const index = (name: string, partitionKey: string) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: 'createdAtMs', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: Match.arrayWith([index('byDay', 'day'), index('byUser', 'userId'), index('bySession', 'sessionId')]),
    });
    for (const [name, type] of [
      ['day', 'S'],
      ['userId', 'S'],
      ['sessionId', 'S'],
      ['createdAtMs', 'N'],
    ]) {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: Match.arrayWith([{ AttributeName: name, AttributeType: type }]),
      });
    }
  });

  it('stores gateway keys by hash, on demand, with point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'keyHash', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'keyHash', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('keeps every table, bucket and queue when the stack is deleted', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::SQS::Queue']) {
      const resources = Object.values(template.findResources(type));
      assert.ok(resources.length > 0, type);
      for (const resource of resources) {
        assert.equal(resource.DeletionPolicy, 'Retain', type);
        assert.equal(resource.UpdateReplacePolicy, 'Retain', type);
      }
    }
  });

  it('keeps bodies private, encrypted, TLS-only, and only as long as the request log', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: Match.anyValue() } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 45, Status: 'Enabled' })]),
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('holds failed log writes for 14 days in an encrypted dead-letter queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 24 * 60 * 60,
      SqsManagedSseEnabled: true,
    });
  });

  it('outputs the names a user needs: keys table, request-log table, dead-letter queue URL', () => {
    const tables = template.findResources('AWS::DynamoDB::Table');
    const idOf = (partitionKey: string) =>
      Object.entries(tables).find(([, table]) => table.Properties.KeySchema[0].AttributeName === partitionKey)?.[0];
    template.hasOutput('KeysTableName', { Value: { Ref: idOf('keyHash') } });
    template.hasOutput('RequestLogTableName', { Value: { Ref: idOf('id') } });
    template.hasOutput('CreateAdminKeyCommand', {
      Value: { 'Fn::Join': ['', [Match.stringLikeRegexp('^npm run keys -- create .*--role admin --table $'), { Ref: idOf('keyHash') }]] },
    });
    const queueId = Object.keys(template.findResources('AWS::SQS::Queue'))[0];
    template.hasOutput('DeadLetterQueueUrl', { Value: { Ref: queueId } });
  });
});
