/**
 * The response cache on ElastiCache Serverless: where it runs, its limits, its security group and
 * what binding a function to it does. Bundling is skipped: the bundle is the stateless stack test's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { LookoutFunction } from '../../../lib/constructs/lookout-function.js';
import { ValkeyCache } from '../../../lib/constructs/valkey-cache.js';

const ENTRY = 'lambdas/handlers/gateway.ts';
const limits = { maxDataStorageGb: 3, maxEcpuPerSecond: 7000 };

const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
const vpc = new Vpc(stack, 'Vpc', { natGateways: 1 });
const { cache } = new ValkeyCache(stack, 'ResponseCache', { vpc, limits });
new LookoutFunction(stack, 'Fn', { entry: ENTRY, logRetentionDays: 7, vpc }).bind(cache, 'read-write');
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const idOf = (type: string, path: RegExp) =>
  Object.entries(template.findResources(type)).find(([id]) => path.test(id))?.[0] ?? assert.fail(`no ${type} ${path}`);
const cacheGroupId = idOf('AWS::EC2::SecurityGroup', /^ResponseCacheSecurityGroup/);
const functionGroupId = idOf('AWS::EC2::SecurityGroup', /^FnSecurityGroup/);

describe('ValkeyCache', () => {
  it('is one serverless Valkey cache', () => {
    template.resourceCountIs('AWS::ElastiCache::ServerlessCache', 1);
    template.hasResourceProperties('AWS::ElastiCache::ServerlessCache', { Engine: 'valkey' });
  });

  it('caps its storage and ECPU rate at the configured limits', () => {
    template.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      CacheUsageLimits: { DataStorage: { Maximum: 3, Unit: 'GB' }, ECPUPerSecond: { Maximum: 7000 } },
    });
  });

  it("runs in the VPC's private subnets", () => {
    template.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      SubnetIds: vpc.privateSubnets.map((subnet) => stack.resolve(subnet.subnetId)),
    });
  });

  it('sits behind its own security group, which opens no connection of its own', () => {
    template.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      SecurityGroupIds: [{ 'Fn::GetAtt': [cacheGroupId, 'GroupId'] }],
    });
    assert.deepEqual(
      resources[cacheGroupId]!.Properties.SecurityGroupEgress.map((rule: { CidrIp: string }) => rule.CidrIp),
      ['255.255.255.255/32'],
      'the CDK spells "no egress" as one rule nothing matches',
    );
  });

  it('is named from its place in the app, in the characters ElastiCache allows (a new name replaces the cache)', () => {
    template.hasResourceProperties('AWS::ElastiCache::ServerlessCache', {
      ServerlessCacheName: Match.stringLikeRegexp('^testresponsecache[a-z0-9]{8}$'),
    });
  });
});

describe('binding a function to the ValkeyCache', () => {
  it("lets the function's own security group in on 6379-6380 and nothing else in", () => {
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'));
    assert.equal(ingress.length, 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [cacheGroupId, 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [functionGroupId, 'GroupId'] },
      IpProtocol: 'tcp',
      FromPort: 6379,
      ToPort: 6380,
    });
    assert.equal(resources[cacheGroupId]!.Properties.SecurityGroupIngress, undefined);
  });

  it('gives the function the TLS URL of the cache endpoint and says it is a cluster', () => {
    const cacheId = idOf('AWS::ElastiCache::ServerlessCache', /.*/);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          LOOKOUT_REDIS_URL: {
            'Fn::Join': [
              '',
              ['rediss://', { 'Fn::GetAtt': [cacheId, 'Endpoint.Address'] }, ':', { 'Fn::GetAtt': [cacheId, 'Endpoint.Port'] }],
            ],
          },
          LOOKOUT_REDIS_CLUSTER: 'true',
        }),
      },
    });
  });

  it('grants no IAM action: the security group is the access', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[],
    );
    assert.deepEqual(
      statements.flatMap((statement) => [statement.Action].flat()).filter((action) => action.startsWith('elasticache:')),
      [],
    );
  });

  it('fails at synth for a function outside any VPC, which could never reach the cache', () => {
    const outside = new LookoutFunction(stack, 'Outside', { entry: ENTRY, logRetentionDays: 7 });
    assert.throws(() => outside.bind(cache, 'read-write'), /VPC/);
  });
});
