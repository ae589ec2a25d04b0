/**
 * Observability: the CloudWatch dashboard (the gateway's EMF metrics beside the functions', the
 * API's, the tables' and the queues'), and each alarm's metric, threshold and its SNS actions on
 * the alerts topic, one alarm at a time. Bundling is skipped: the bundle is the stateless stack test's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseLookoutConfig } from '../../../lambdas/contract/lookout-config.js';
import { GATEWAY_METRICS } from '../../../lambdas/contract/gateway-metrics.js';
import { addLookoutStacks } from '../../../lib/lookout-app.js';

const config = parseLookoutConfig({ providers: { groq: { baseUrl: 'https://api.groq.com/openai' } } });
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const { stateful, stateless } = addLookoutStacks(app, config);
const template = Template.fromStack(stateless);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;

/** The id of the stateless stack's one resource of `type` whose id starts with `prefix`. */
const idOf = (type: string, prefix: string) =>
  Object.keys(template.findResources(type)).find((id) => id.startsWith(prefix)) ?? assert.fail(`no ${type} ${prefix}`);

const alertTopicExport = Stack.of(stateful).resolve(stateful.alertTopic.topic.topicArn);
/** The alerts topic's ARN as the stateless stack imports it. */
const topicArn = () => {
  const alarm = Object.values(resources).find((r) => r.Type === 'AWS::CloudWatch::Alarm')!;
  return alarm.Properties.AlarmActions[0];
};

const dashboardBody = (): string => {
  const body = resources[idOf('AWS::CloudWatch::Dashboard', 'ObservabilityDashboard')]!.Properties.DashboardBody;
  return JSON.stringify(Stack.of(stateless).resolve(body));
};

/** Asserts the alarm on `metric` (name, namespace and dimensions as CloudFormation has them) has `properties` and notifies the topic. */
function alarmHas(id: string, properties: Record<string, unknown>): void {
  const alarm = resources[idOf('AWS::CloudWatch::Alarm', `Observability${id}`)]!.Properties;
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    ...properties,
    TreatMissingData: 'notBreaching',
    AlarmActions: [topicArn()],
    OKActions: [topicArn()],
  });
  assert.equal(alarm.TreatMissingData, 'notBreaching');
}

const fnRef = (prefix: string) => ({ Ref: idOf('AWS::Lambda::Function', prefix) });
const gatewayEmf = (metricName: string) => ({
  Namespace: 'Lookout',
  MetricName: metricName,
  Dimensions: [{ Name: 'service', Value: 'lookout-gateway' }],
});

describe('Observability: the alarms', () => {
  it('notify the alerts topic of the stateful stack, on alarm and on OK', () => {
    assert.ok(JSON.stringify(alertTopicExport).includes('AlertChannelsTopic'));
    assert.match(JSON.stringify(topicArn()), /AlertChannelsTopic/, 'the imported alerts topic');
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      assert.deepEqual(alarm.Properties.AlarmActions, [topicArn()]);
      assert.deepEqual(alarm.Properties.OKActions, [topicArn()]);
      assert.equal(alarm.Properties.TreatMissingData, 'notBreaching');
    }
    template.resourceCountIs('AWS::CloudWatch::Alarm', 8);
  });

  it("fires on 5 or more of the gateway's own 5xx in 5 minutes", () => {
    alarmHas('GatewayErrorsAlarm', {
      ...gatewayEmf('GatewayErrors'),
      Statistic: 'Sum',
      Period: 300,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
    });
  });

  it('fires on any failed gateway invocation', () => {
    alarmHas('GatewayFunctionErrorsAlarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: fnRef('GatewayFunction') }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('fires on any throttled gateway invocation', () => {
    alarmHas('GatewayThrottlesAlarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Dimensions: [{ Name: 'FunctionName', Value: fnRef('GatewayFunction') }],
      Statistic: 'Sum',
      Threshold: 1,
    });
  });

  it('fires when the rollup aggregator is over 5 minutes behind for 10 minutes', () => {
    alarmHas('RollupIteratorAgeAlarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: fnRef('UsageRollupsAggregator') }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 300_000,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
    });
  });

  it("fires when the request log's dead-letter queue holds anything", () => {
    alarmHas('RequestLogDeadLettersAlarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('DeadLetterQueue') }) }],
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it("fires when the rollup aggregator's on-failure queue holds anything", () => {
    const queueId = idOf('AWS::SQS::Queue', 'UsageRollupsDeadLetterQueue');
    alarmHas('RollupsDeadLettersAlarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('fires when the alert evaluator failed in 2 of the last 3 periods', () => {
    alarmHas('AlertEvaluatorErrorsAlarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: fnRef('AlertingEvaluator') }],
      Statistic: 'Sum',
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
  });

  it('fires on any request log lost to storage (neither table nor dead-letter queue took it)', () => {
    alarmHas('LogRecordsLostAlarm', { ...gatewayEmf('LogRecordsLost'), Statistic: 'Sum', Threshold: 1 });
  });

  it('say what happened and what to do', () => {
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      assert.match(alarm.Properties.AlarmDescription, /^Lookout: /);
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      AlarmDescription: Match.stringLikeRegexp('npm run logs:replay'),
    });
  });
});

describe('Observability: the dashboard', () => {
  it('is one dashboard named for its region', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: { 'Fn::Join': ['', ['Lookout-', { Ref: 'AWS::Region' }]] },
    });
  });

  it('graphs every gateway EMF metric of the Lookout namespace', () => {
    const body = dashboardBody();
    for (const { name } of Object.values(GATEWAY_METRICS)) {
      assert.ok(body.includes(`\\"Lookout\\",\\"${name}\\"`), `${name} is on the dashboard`);
    }
  });

  it('graphs requests and cost by each configured provider and the generic route', () => {
    const body = dashboardBody();
    for (const provider of ['openai', 'anthropic', 'groq', 'custom']) {
      assert.ok(body.includes(`\\"Requests\\",\\"provider\\",\\"${provider}\\",\\"service\\",\\"lookout-gateway\\"`), provider);
      assert.ok(body.includes(`\\"CostUsd\\",\\"provider\\",\\"${provider}\\",\\"service\\",\\"lookout-gateway\\"`), provider);
    }
  });

  it('shows the Lambda, API Gateway, DynamoDB and SQS metrics beside them, and the alarms', () => {
    const body = dashboardBody();
    for (const namespace of ['AWS/Lambda', 'AWS/ApiGateway', 'AWS/DynamoDB', 'AWS/SQS']) {
      assert.ok(body.includes(`\\"${namespace}\\"`), namespace);
    }
    for (const metric of [
      'Invocations',
      'Errors',
      'Throttles',
      'Duration',
      'IteratorAge',
      '5XXError',
      'IntegrationLatency',
      'ConsumedWriteCapacityUnits',
      'WriteThrottleEvents',
      'ApproximateNumberOfMessagesVisible',
    ]) {
      assert.ok(body.includes(`\\"${metric}\\"`), metric);
    }
    assert.ok(body.includes('\\"type\\":\\"alarm\\"'), 'an alarm status widget');
  });
});

describe('Observability: the stack output and the grants', () => {
  it("outputs the dashboard's console URL", () => {
    template.hasOutput('DashboardUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    assert.match(JSON.stringify(template.findOutputs('DashboardUrl')), /console\.aws\.amazon\.com\/cloudwatch\/home/);
  });

  it('gives the gateway no cloudwatch:PutMetricData: EMF goes through its log group', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      assert.doesNotMatch(JSON.stringify(policy.Properties.PolicyDocument), /cloudwatch:PutMetricData/);
    }
  });
});
