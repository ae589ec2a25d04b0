/**
 * The usage rollups: the aggregator function, its event source on the request log's stream
 * setting by setting, its dead-letter queue, and its grants, action by action. Bundling is
 * skipped: the bundle is the stateless stack test's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseLookoutConfig, runtimeConfigFrom } from '../../../lambdas/contract/lookout-config.js';
import { parseRuntimeConfig } from '../../../lambdas/core/runtime-config.js';
import { AlertsTable } from '../../../lib/constructs/alerts-table.js';
import { RequestLog } from '../../../lib/constructs/request-log.js';
import { RollupsTable } from '../../../lib/constructs/rollups-table.js';
import { UsageRollups } from '../../../lib/constructs/usage-rollups.js';

const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
const requestLog = new RequestLog(stack, 'RequestLog', { retentionDays: 30 });
const rollups = new RollupsTable(stack, 'Rollups').table;
const alerts = new AlertsTable(stack, 'Alerts').table;
new UsageRollups(stack, 'UsageRollups', {
  requestLogTable: requestLog.table,
  rollupsTable: rollups,
  alertsTable: alerts,
  runtimeConfig: runtimeConfigFrom(parseLookoutConfig({ indexedProperties: ['environment'] })),
  logRetentionDays: 7,
});
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;

const idOf = (type: string, prefix: string) =>
  Object.keys(template.findResources(type)).find((id) => id.startsWith(prefix)) ?? assert.fail(`no ${type} ${prefix}`);
const aggregatorId = idOf('AWS::Lambda::Function', 'UsageRollupsAggregator');
const queueId = idOf('AWS::SQS::Queue', 'UsageRollupsDeadLetterQueue');
const requestLogTableId = idOf('AWS::DynamoDB::Table', 'RequestLogTable');
const rollupsTableId = idOf('AWS::DynamoDB::Table', 'RollupsTable');
const alertsTableId = idOf('AWS::DynamoDB::Table', 'AlertsTable');
const aggregator = resources[aggregatorId]!.Properties;
const roleId = aggregator.Role['Fn::GetAtt'][0];

/** The event source mapping of the aggregator has `properties` (and there is one mapping). */
function mappingHas(properties: Record<string, unknown>): void {
  template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionName: { Ref: aggregatorId }, ...properties });
}

/** The aggregator's role has a statement granting exactly `actions` on `resource`. */
function grantsExactly(actions: string | string[], resource: unknown): void {
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: [{ Ref: roleId }],
    PolicyDocument: { Statement: Match.arrayWith([{ Effect: 'Allow', Action: actions, Resource: resource }]) },
  });
}

describe('UsageRollups: the event source on the request log stream', () => {
  it("reads the request log's stream", () => {
    mappingHas({ EventSourceArn: { 'Fn::GetAtt': [requestLogTableId, 'StreamArn'] } });
  });

  it('starts from the oldest record the stream holds', () => {
    mappingHas({ StartingPosition: 'TRIM_HORIZON' });
  });

  it('takes up to 500 records a batch', () => {
    mappingHas({ BatchSize: 500 });
  });

  it('waits at most 2 seconds for a batch to fill, so a request shows in the metrics within seconds', () => {
    mappingHas({ MaximumBatchingWindowInSeconds: 2 });
  });

  it('splits a failing batch to isolate the record that fails it', () => {
    mappingHas({ BisectBatchOnFunctionError: true });
  });

  it('retries a failing batch 10 times', () => {
    mappingHas({ MaximumRetryAttempts: 10 });
  });

  it('gives up on records older than 6 hours', () => {
    mappingHas({ MaximumRecordAgeInSeconds: 6 * 60 * 60 });
  });

  it("runs one invocation per shard at a time, for the shard's checkpoint", () => {
    mappingHas({ ParallelizationFactor: 1 });
  });

  it('lets the handler report the first record it did not apply', () => {
    mappingHas({ FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  it('uses a 15-minute tumbling window, which puts shardId in the event', () => {
    mappingHas({ TumblingWindowInSeconds: 15 * 60 });
  });

  it('delivers only INSERT events', () => {
    mappingHas({ FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] } });
  });

  it('sends the batches it gives up on to its dead-letter queue', () => {
    mappingHas({ DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } } });
  });
});

describe('UsageRollups: the dead-letter queue', () => {
  it('holds given-up batches for 14 days (the most SQS keeps), encrypted, kept when its stack goes', () => {
    template.hasResource('AWS::SQS::Queue', {
      Properties: { MessageRetentionPeriod: 14 * 24 * 60 * 60, SqsManagedSseEnabled: true },
      DeletionPolicy: 'Retain',
    });
    assert.equal(resources[queueId]!.Properties.MessageRetentionPeriod, 14 * 24 * 60 * 60);
  });

  it('takes TLS only', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('UsageRollups: the aggregator function', () => {
  it('runs lambdas/handlers/rollup-aggregator.ts, with 2 minutes for a batch and the house memory', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('rollup aggregator'),
      Handler: 'index.handler',
      Timeout: 120,
      MemorySize: 512,
    });
  });

  it('gets the runtime config in LOOKOUT_RUNTIME_CONFIG', () => {
    const runtime = parseRuntimeConfig({ LOOKOUT_RUNTIME_CONFIG: aggregator.Environment.Variables.LOOKOUT_RUNTIME_CONFIG });
    assert.deepEqual(runtime.indexedProperties, ['environment']);
  });

  it('finds the alerts table by LOOKOUT_ALERTS_TABLE, for the properties the API-made rules index', () => {
    assert.deepEqual(aggregator.Environment.Variables.LOOKOUT_ALERTS_TABLE, { Ref: alertsTableId });
  });

  it('finds the rollups table by LOOKOUT_ROLLUPS_TABLE, and is not given the request-log table', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('rollup aggregator'),
      Environment: { Variables: Match.objectLike({ LOOKOUT_ROLLUPS_TABLE: { Ref: rollupsTableId } }) },
    });
    assert.equal(aggregator.Environment.Variables.LOOKOUT_REQUEST_LOG_TABLE, undefined);
  });

  it('runs outside any VPC', () => {
    assert.equal(aggregator.VpcConfig, undefined);
  });
});

describe("UsageRollups: the aggregator's grants", () => {
  it('aggregates on the rollups table: reads, puts, updates and condition checks (a TransactWriteItems), no scan, no delete', () => {
    grantsExactly(
      [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:ConditionCheckItem',
      ],
      [{ 'Fn::GetAtt': [rollupsTableId, 'Arn'] }],
    );
  });

  it('reads the alert rules (get, query, scan) and writes none of them', () => {
    grantsExactly(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'], [{ 'Fn::GetAtt': [alertsTableId, 'Arn'] }]);
  });

  it("reads the request log's stream", () => {
    grantsExactly(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], {
      'Fn::GetAtt': [requestLogTableId, 'StreamArn'],
    });
    grantsExactly('dynamodb:ListStreams', '*');
  });

  it('sends to its dead-letter queue', () => {
    grantsExactly(['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], { 'Fn::GetAtt': [queueId, 'Arn'] });
  });

  it('has nothing more than those and X-Ray: nothing on the request-log table itself, its bodies or its queue', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const actions = statements.flatMap((statement) => [statement.Action].flat()).sort();
    assert.deepEqual(actions, [
      'dynamodb:BatchGetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DescribeStream',
      'dynamodb:GetItem',
      'dynamodb:GetItem',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:UpdateItem',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    assert.equal(statements.length, 6, 'X-Ray, the rollups table, the alerts table, the stream, ListStreams and the queue');
    assert.doesNotMatch(JSON.stringify(statements), /"RequestLogTable[0-9A-F]{8}","Arn"|BodiesBucket|RequestLogDeadLetterQueue/);
  });
});
