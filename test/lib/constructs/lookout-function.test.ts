/**
 * Each house default of `LookoutFunction`, asserted on its own, and `bind()`. Bundling is skipped
 * (the `aws:cdk:bundling-stacks` context names no stack): the bundle is the stateless stack test's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { BindableBucket, BindableQueue, BindableTable } from '../../../lib/constructs/bindable-resources.js';
import { LookoutFunction, type LookoutFunctionProps } from '../../../lib/constructs/lookout-function.js';

const ENTRY = 'lambdas/handlers/query-api.ts';

function stackWith(build: (stack: Stack) => void): Template {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
  build(stack);
  return Template.fromStack(stack);
}

function functionTemplate(props: Partial<LookoutFunctionProps> = {}): Template {
  return stackWith((stack) => new LookoutFunction(stack, 'Fn', { entry: ENTRY, logRetentionDays: 7, ...props }));
}

function onlyFunction(template: Template): Record<string, any> {
  const functions = Object.values(template.findResources('AWS::Lambda::Function'));
  assert.equal(functions.length, 1);
  return functions[0]!.Properties;
}

/** The actions of every policy statement on resources whose JSON matches `resource`. */
function actionsOn(template: Template, resource: RegExp): string[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
    .filter((statement) => resource.test(JSON.stringify(statement.Resource)))
    .flatMap((statement) => [statement.Action].flat());
}

describe('LookoutFunction defaults', () => {
  const template = functionTemplate();
  const properties = onlyFunction(template);

  it('runs on Node.js 22', () => {
    assert.equal(properties.Runtime, 'nodejs22.x');
  });

  it('runs on ARM64', () => {
    assert.deepEqual(properties.Architectures, ['arm64']);
  });

  it('calls the exported `handler` of the bundle', () => {
    assert.equal(properties.Handler, 'index.handler');
  });

  it('writes to its own log group, kept for the given retention and deleted with the function', () => {
    const logGroupId = properties.LoggingConfig.LogGroup.Ref;
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 7 }, DeletionPolicy: 'Delete' });
    assert.ok(template.findResources('AWS::Logs::LogGroup')[logGroupId], 'the function names its log group');
  });

  it('logs JSON', () => {
    assert.equal(properties.LoggingConfig.LogFormat, 'JSON');
  });

  it('maps stack traces through the source maps', () => {
    assert.equal(properties.Environment.Variables.NODE_OPTIONS, '--enable-source-maps');
  });

  it('traces with X-Ray', () => {
    assert.deepEqual(properties.TracingConfig, { Mode: 'Active' });
  });

  it('gets 512 MB and 30 seconds unless told otherwise', () => {
    assert.equal(properties.MemorySize, 512);
    assert.equal(properties.Timeout, 30);
  });

  it('runs outside any VPC unless given one', () => {
    assert.equal(properties.VpcConfig, undefined);
  });

  it("runs in a given VPC's private subnets, which reach the internet through NAT, with its own security group", () => {
    let privateSubnetIds: unknown[] = [];
    const template = stackWith((stack) => {
      const vpc = new Vpc(stack, 'Vpc', { natGateways: 1 });
      privateSubnetIds = vpc.privateSubnets.map((subnet) => stack.resolve(subnet.subnetId));
      new LookoutFunction(stack, 'Fn', { entry: ENTRY, logRetentionDays: 7, vpc });
    });
    const groupId = Object.keys(template.findResources('AWS::EC2::SecurityGroup')).find((id) => id.startsWith('FnSecurityGroup'));
    assert.ok(groupId, 'the function has a security group of its own');
    assert.deepEqual(onlyFunction(template).VpcConfig, {
      SubnetIds: privateSubnetIds,
      SecurityGroupIds: [{ 'Fn::GetAtt': [groupId, 'GroupId'] }],
    });
  });

  it("keeps the caller's environment beside its own", () => {
    const variables = onlyFunction(functionTemplate({ environment: { LOOKOUT_RUNTIME_CONFIG: '{}' } })).Environment.Variables;
    assert.deepEqual(variables, { NODE_OPTIONS: '--enable-source-maps', LOOKOUT_RUNTIME_CONFIG: '{}' });
  });
});

describe('LookoutFunction.bind', () => {
  it('sets the variable a table is found by and grants PutItem alone for put', () => {
    const template = stackWith((stack) => {
      const table = new Table(stack, 'LogTable', { partitionKey: { name: 'id', type: AttributeType.STRING } });
      new LookoutFunction(stack, 'Fn', { entry: ENTRY, logRetentionDays: 7 }).bind(
        new BindableTable(table, 'LOOKOUT_REQUEST_LOG_TABLE'),
        'put',
      );
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LOOKOUT_REQUEST_LOG_TABLE: { Ref: Match.stringLikeRegexp('^LogTable') } }) },
    });
    assert.deepEqual(actionsOn(template, /LogTable/), ['dynamodb:PutItem']);
  });

  it('grants reads and no writes of a table for read', () => {
    const template = stackWith((stack) => {
      const table = new Table(stack, 'KeysTable', { partitionKey: { name: 'keyHash', type: AttributeType.STRING } });
      new LookoutFunction(stack, 'Fn', { entry: ENTRY, logRetentionDays: 7 }).bind(new BindableTable(table, 'LOOKOUT_KEYS_TABLE'), 'read');
    });
    const actions = actionsOn(template, /KeysTable/);
    for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan']) assert.ok(actions.includes(action), action);
    assert.deepEqual(
      actions.filter((action) => /Put|Update|Delete|Write/.test(action)),
      [],
    );
  });

  it('sets a bucket name and grants object reads or puts', () => {
    const template = stackWith((stack) => {
      const bucket = new BindableBucket(new Bucket(stack, 'Bodies'), 'LOOKOUT_BODIES_BUCKET');
      new LookoutFunction(stack, 'Reader', { entry: ENTRY, logRetentionDays: 7 }).bind(bucket, 'read');
      new LookoutFunction(stack, 'Writer', { entry: ENTRY, logRetentionDays: 7 }).bind(bucket, 'put');
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LOOKOUT_BODIES_BUCKET: { Ref: Match.stringLikeRegexp('^Bodies') } }) },
    });
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const actionsOf = (role: string) =>
      policies
        .filter(([id]) => id.startsWith(role))
        .flatMap(([, policy]) =>
          policy.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()),
        );
    assert.ok(actionsOf('Reader').some((action: string) => action.startsWith('s3:GetObject')));
    assert.ok(!actionsOf('Reader').includes('s3:PutObject'));
    assert.ok(actionsOf('Writer').includes('s3:PutObject'));
    assert.ok(!actionsOf('Writer').some((action: string) => action.startsWith('s3:GetObject')));
  });

  it('sets every variable a resource is found by', () => {
    const template = stackWith((stack) => {
      new LookoutFunction(stack, 'Fn', { entry: ENTRY, logRetentionDays: 7 }).bind(
        { environment: { LOOKOUT_REDIS_URL: 'rediss://cache:6379', LOOKOUT_REDIS_CLUSTER: 'true' }, grant: () => {} },
        'read-write',
      );
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LOOKOUT_REDIS_URL: 'rediss://cache:6379', LOOKOUT_REDIS_CLUSTER: 'true' }) },
    });
  });

  it('sets a queue URL and grants sending to it', () => {
    const template = stackWith((stack) => {
      const queue = new BindableQueue(new Queue(stack, 'DeadLetters'), 'LOOKOUT_DEAD_LETTER_QUEUE_URL');
      new LookoutFunction(stack, 'Fn', { entry: ENTRY, logRetentionDays: 7 }).bind(queue, 'send');
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LOOKOUT_DEAD_LETTER_QUEUE_URL: { Ref: Match.stringLikeRegexp('^DeadLetters') } }) },
    });
    const actions = actionsOn(template, /DeadLetters/);
    assert.ok(actions.includes('sqs:SendMessage'));
    assert.deepEqual(
      actions.filter((action) => /Receive|Delete|Purge/.test(action)),
      [],
    );
  });
});
