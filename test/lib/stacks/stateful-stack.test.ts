import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseLookoutConfig } from '../../../lambdas/contract/lookout-config.js';
import { StatefulStack } from '../../../lib/stacks/stateful-stack.js';

// The stateful stack has no functions, so no bundling: building it directly is fast.
function statefulTemplate(input: Record<string, unknown>): Template {
  return Template.fromStack(new StatefulStack(new App(), 'Stateful', { config: parseLookoutConfig(input) }));
}
const template = statefulTemplate({
  retentionDays: 45,
  alertTopicSubscriptions: [
    { protocol: 'email', endpoint: 'oncall@example.com' },
    { protocol: 'sms', endpoint: '+14155550100' },
  ],
});
const valkeyTemplate = statefulTemplate({
  cacheBackend: 'valkey',
  natGateways: 2,
  valkeyLimits: { maxDataStorageGb: 4, maxEcpuPerSecond: 9000 },
});

const cacheTableKey = [{ AttributeName: 'cacheKey', KeyType: 'HASH' }];
const quotasTableKey = [{ AttributeName: 'id', KeyType: 'HASH' }];
const countersTableKey = [{ AttributeName: 'counterKey', KeyType: 'HASH' }];
function tablesKeyedBy(template: Template, keySchema: unknown): string[] {
  return Object.entries(template.findResources('AWS::DynamoDB::Table'))
    .filter(([, table]) => JSON.stringify(table.Properties.KeySchema) === JSON.stringify(keySchema))
    .map(([id]) => id);
}

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

  it('keeps every table, bucket, queue, topic and secret when the stack is deleted, but the response cache and the quota counters', () => {
    const passing = [...tablesKeyedBy(template, cacheTableKey), ...tablesKeyedBy(template, countersTableKey)];
    assert.equal(passing.length, 2);
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::SNS::Topic', 'AWS::SecretsManager::Secret']) {
      const resources = Object.entries(template.findResources(type)).filter(([id]) => !passing.includes(id));
      assert.ok(resources.length > 0, type);
      for (const [, resource] of resources) {
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
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'bodies/', ExpirationInDays: 45, Status: 'Enabled' })]),
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it("expires the response cache's large entries a day after the longest a cache entry lives, whatever the log's retention", () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'cache/', ExpirationInDays: 366, Status: 'Enabled' })]),
      },
    });
    // S3 honours the shorter of two expirations that apply: a bucket-wide rule would cut them at 45 days.
    const [bucket] = Object.values(template.findResources('AWS::S3::Bucket'));
    for (const rule of bucket!.Properties.LifecycleConfiguration.Rules) {
      if (rule.ExpirationInDays !== undefined) assert.ok(rule.Prefix, `rule ${rule.Id} expires the whole bucket`);
    }
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

describe('stateful stack with the default DynamoDB cache backend', () => {
  it('stores cache entries by cacheKey, on demand, expiring them by expiresAt', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: cacheTableKey,
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('creates no VPC, NAT gateway, VPC endpoint or serverless cache (no fixed cost)', () => {
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::NatGateway', 'AWS::EC2::VPCEndpoint', 'AWS::ElastiCache::ServerlessCache']) {
      template.resourceCountIs(type, 0);
    }
  });

  it('outputs the backend and the cache table', () => {
    template.hasOutput('ResponseCacheBackend', { Value: 'dynamodb' });
    template.hasOutput('ResponseCacheTableName', { Value: { Ref: tablesKeyedBy(template, cacheTableKey)[0] } });
  });

  it('keeps the quota counters in a table of their own, by counterKey, dropping idle ones by expiresAt', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: countersTableKey,
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
    template.hasOutput('QuotaCountersTableName', { Value: { Ref: tablesKeyedBy(template, countersTableKey)[0] } });
  });
});

describe('stateful stack: quotas, on either backend', () => {
  for (const [backend, stackTemplate] of [
    ['dynamodb', template],
    ['valkey', valkeyTemplate],
  ] as const) {
    it(`stores the quotas made through the API by id, kept and backed up (${backend})`, () => {
      const quotaTables = Object.entries(stackTemplate.findResources('AWS::DynamoDB::Table')).filter(
        ([, table]) =>
          JSON.stringify(table.Properties.KeySchema) === JSON.stringify(quotasTableKey) && !table.Properties.StreamSpecification,
      );
      assert.equal(quotaTables.length, 1, 'one id-keyed table besides the streamed request log');
      const [id, table] = quotaTables[0]!;
      assert.equal(table.DeletionPolicy, 'Retain');
      assert.deepEqual(table.Properties.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true });
      stackTemplate.hasOutput('QuotasTableName', { Value: { Ref: id } });
    });
  }
});

describe('stateful stack with the Valkey cache backend', () => {
  it('creates one VPC with the configured number of NAT gateways', () => {
    valkeyTemplate.resourceCountIs('AWS::EC2::VPC', 1);
    valkeyTemplate.resourceCountIs('AWS::EC2::NatGateway', 2);
  });

  it('gives the VPC free gateway endpoints for DynamoDB and S3', () => {
    valkeyTemplate.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    for (const service of ['dynamodb', 's3']) {
      valkeyTemplate.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] },
      });
    }
  });

  it("runs one serverless Valkey cache with the configured usage limits in the VPC's private subnets, behind its own security group", () => {
    valkeyTemplate.resourceCountIs('AWS::ElastiCache::ServerlessCache', 1);
    const privateSubnets = Object.entries(valkeyTemplate.findResources('AWS::EC2::Subnet'))
      .filter(([, subnet]) => subnet.Properties.MapPublicIpOnLaunch === false)
      .map(([id]) => ({ Ref: id }));
    assert.equal(privateSubnets.length, 2);
    const [groupId] = Object.keys(valkeyTemplate.findResources('AWS::EC2::SecurityGroup'));
    valkeyTemplate.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      Engine: 'valkey',
      MajorEngineVersion: Match.stringLikeRegexp('^[0-9]+$'),
      CacheUsageLimits: { DataStorage: { Maximum: 4, Unit: 'GB' }, ECPUPerSecond: { Maximum: 9000 } },
      SubnetIds: privateSubnets,
      SecurityGroupIds: [{ 'Fn::GetAtt': [groupId, 'GroupId'] }],
    });
  });

  it("has the cache's security group let nothing in until a function is bound to it (in the stateless stack)", () => {
    valkeyTemplate.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    valkeyTemplate.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    const [group] = Object.values(valkeyTemplate.findResources('AWS::EC2::SecurityGroup'));
    assert.equal(group!.Properties.SecurityGroupIngress, undefined);
  });

  it('creates no cache table and no quota counters table: the counters live in the cache', () => {
    assert.deepEqual(tablesKeyedBy(valkeyTemplate, cacheTableKey), []);
    assert.deepEqual(tablesKeyedBy(valkeyTemplate, countersTableKey), []);
    assert.deepEqual(Object.keys(valkeyTemplate.findOutputs('QuotaCountersTableName')), []);
    // Keys, request log, quotas, rollups and alerts.
    valkeyTemplate.resourceCountIs('AWS::DynamoDB::Table', 5);
  });

  it('outputs the backend and the cache endpoint', () => {
    valkeyTemplate.hasOutput('ResponseCacheBackend', { Value: 'valkey' });
    valkeyTemplate.hasOutput('ResponseCacheEndpoint', {});
  });
});

describe('stateful stack: alerts, on either backend', () => {
  const alertsTableKey = [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ];
  /** The pk/sk table with a TTL and no index that is not the rollups table: both are keyed so. */
  const alertsTableIdOf = (stackTemplate: Template) =>
    tablesKeyedBy(stackTemplate, alertsTableKey).find((id) => id.startsWith('AlertsTable')) ?? assert.fail('no alerts table');

  for (const [backend, stackTemplate] of [
    ['dynamodb', template],
    ['valkey', valkeyTemplate],
  ] as const) {
    it(`keeps the alerts table by pk and sk, backed up, and outputs its name (${backend})`, () => {
      const id = alertsTableIdOf(stackTemplate);
      const table = stackTemplate.findResources('AWS::DynamoDB::Table')[id]!;
      assert.deepEqual(table.Properties.TimeToLiveSpecification, { AttributeName: 'expiresAt', Enabled: true });
      assert.deepEqual(table.Properties.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true });
      stackTemplate.hasOutput('AlertsTableName', { Value: { Ref: id } });
    });

    it(`holds the alerts topic and the two alert secrets, and outputs the topic's ARN and the Slack secret's name (${backend})`, () => {
      stackTemplate.resourceCountIs('AWS::SNS::Topic', 1);
      stackTemplate.resourceCountIs('AWS::SecretsManager::Secret', 2);
      const [topicId] = Object.keys(stackTemplate.findResources('AWS::SNS::Topic'));
      stackTemplate.hasOutput('AlertTopicArn', { Value: { Ref: topicId } });
      const slackSecretId =
        Object.keys(stackTemplate.findResources('AWS::SecretsManager::Secret')).find((id) => id.includes('SlackWebhook')) ??
        assert.fail('no Slack secret');
      const output = stackTemplate.findOutputs('SlackWebhookSecretName').SlackWebhookSecretName;
      assert.match(JSON.stringify(output?.Value), new RegExp(`"Ref":"${slackSecretId}"`));
    });
  }

  it('subscribes the endpoints of alertTopicSubscriptions to the topic', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sms', Endpoint: '+14155550100' });
    valkeyTemplate.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
