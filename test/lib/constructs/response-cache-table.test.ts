/**
 * The response cache on DynamoDB: its table and what binding a function to it grants, action by
 * action. Bundling is skipped: the bundle is the stateless stack test's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { LookoutFunction } from '../../../lib/constructs/lookout-function.js';
import { ResponseCacheTable } from '../../../lib/constructs/response-cache-table.js';

const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
const bodiesBucket = new Bucket(stack, 'Bodies');
const { cache } = new ResponseCacheTable(stack, 'ResponseCache', { bodiesBucket });
new LookoutFunction(stack, 'Fn', { entry: 'lambdas/handlers/gateway.ts', logRetentionDays: 7 }).bind(cache, 'read-write');
const template = Template.fromStack(stack);

const [tableId, table] = Object.entries(template.findResources('AWS::DynamoDB::Table'))[0] ?? assert.fail('no table');
const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
  (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
);
function actionsOn(resource: unknown): string[] {
  return statements
    .filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(resource))
    .flatMap((statement) => [statement.Action].flat());
}

describe('ResponseCacheTable', () => {
  it('keys entries by cacheKey', () => {
    assert.deepEqual(table.Properties.KeySchema, [{ AttributeName: 'cacheKey', KeyType: 'HASH' }]);
    assert.deepEqual(table.Properties.AttributeDefinitions, [{ AttributeName: 'cacheKey', AttributeType: 'S' }]);
  });

  it('lets DynamoDB delete expired entries by expiresAt', () => {
    assert.deepEqual(table.Properties.TimeToLiveSpecification, { AttributeName: 'expiresAt', Enabled: true });
  });

  it('bills on demand, so it costs nothing while idle', () => {
    assert.equal(table.Properties.BillingMode, 'PAY_PER_REQUEST');
  });

  it('keeps no backups of entries the next miss rebuilds, and goes with its stack', () => {
    assert.deepEqual(table.Properties.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: false });
    assert.equal(table.DeletionPolicy, 'Delete');
  });
});

describe('binding a function to the ResponseCacheTable', () => {
  it('grants BatchGetItem, GetItem and PutItem on the table and nothing else', () => {
    assert.deepEqual(actionsOn([{ 'Fn::GetAtt': [tableId, 'Arn'] }]).sort(), [
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    ]);
    assert.deepEqual(
      statements.filter((statement) => JSON.stringify(statement.Resource).includes(tableId)).length,
      1,
      'no other statement names the table (or an index of it)',
    );
  });

  it("grants getting and putting objects under the bodies bucket's cache/ prefix only", () => {
    const bucketId = Object.keys(template.findResources('AWS::S3::Bucket'))[0]!;
    assert.deepEqual(actionsOn({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/cache/*']] }), ['s3:GetObject', 's3:PutObject']);
    assert.deepEqual(
      statements.filter((statement) => JSON.stringify(statement.Resource).includes(bucketId)).length,
      1,
      'no statement on the bucket itself or its other objects',
    );
  });

  it('names the table in LOOKOUT_CACHE_TABLE, and the bucket its large entries are in', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          LOOKOUT_CACHE_TABLE: { Ref: tableId },
          LOOKOUT_BODIES_BUCKET: { Ref: Match.stringLikeRegexp('^Bodies') },
        }),
      },
    });
  });
});
