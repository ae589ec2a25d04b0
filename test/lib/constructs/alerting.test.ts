/**
 * Alerting: the topic with a subscription per protocol, the two secrets, the evaluator and its
 * schedule, and the grants of the evaluator and of the query API (its test notification), action
 * by action and resource by resource. Bundling is skipped: the bundle is the stateless stack test's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseLookoutConfig, runtimeConfigFrom, type LookoutConfig } from '../../../lambdas/contract/lookout-config.js';
import { parseRuntimeConfig } from '../../../lambdas/core/runtime-config.js';
import { AlertChannelResources, Alerting } from '../../../lib/constructs/alerting.js';
import { AlertsTable } from '../../../lib/constructs/alerts-table.js';
import { KeysTable } from '../../../lib/constructs/keys-table.js';
import { QueryApi } from '../../../lib/constructs/query-api.js';
import { QuotaCountersTable } from '../../../lib/constructs/quota-counters-table.js';
import { QuotasTable } from '../../../lib/constructs/quotas-table.js';
import { RequestLog } from '../../../lib/constructs/request-log.js';
import { RollupsTable } from '../../../lib/constructs/rollups-table.js';

const rule = { metric: 'error_rate', threshold: 5, windowSeconds: 600 } as const;

/** The alerting constructs, and a query API that sends test notifications, in one stack. */
function alertingTemplate(config: LookoutConfig, publicUrl = 'https://lookout.example.com/'): Template {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
  const channels = new AlertChannelResources(stack, 'AlertChannels', { subscriptions: config.alertTopicSubscriptions });
  const alertsTable = new AlertsTable(stack, 'Alerts').table;
  const rollupsTable = new RollupsTable(stack, 'Rollups').table;
  const runtimeConfig = runtimeConfigFrom(config);
  const alerting = new Alerting(stack, 'Alerting', {
    alertsTable,
    rollupsTable,
    topic: channels.topic,
    slackWebhookSecret: channels.slackWebhookSecret,
    webhookSigningSecret: channels.webhookSigningSecret,
    alertEmailFrom: config.alertEmailFrom,
    publicUrl,
    runtimeConfig,
    logRetentionDays: 7,
  });
  const requestLog = new RequestLog(stack, 'RequestLog', { retentionDays: 30 });
  new QueryApi(stack, 'QueryApi', {
    keysTable: new KeysTable(stack, 'Keys').table,
    requestLogTable: requestLog.table,
    bodiesBucket: requestLog.bodiesBucket,
    quotasTable: new QuotasTable(stack, 'Quotas').table,
    quotaCounters: new QuotaCountersTable(stack, 'QuotaCounters').counters,
    rollupsTable,
    alertsTable,
    runtimeConfig,
    logRetentionDays: 7,
  }).sendsAlertsThrough(alerting.channels);
  return Template.fromStack(stack);
}

const config = parseLookoutConfig({
  alertTopicSubscriptions: [
    { protocol: 'email', endpoint: 'oncall@example.com' },
    { protocol: 'sms', endpoint: '+14155550100' },
    { protocol: 'https', endpoint: 'https://pager.example.com/hooks/lookout' },
  ],
  alertEmailFrom: 'Lookout <alerts@example.com>',
  alerts: [
    { ...rule, name: 'Team errors', channels: { slack: 'team-a/slack-webhook' } },
    { ...rule, name: 'Team errors again', channels: { slack: 'team-a/slack-webhook', email: ['oncall@example.com'] } },
    { ...rule, name: 'Direct Slack', channels: { slack: 'https://hooks.slack.com/services/T0/B0/x' } },
    { ...rule, name: 'Default Slack', channels: { slack: true, sns: true } },
  ],
});
const template = alertingTemplate(config);
const noEmail = alertingTemplate(parseLookoutConfig({}));

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
const resourcesOf = (t: Template) => t.toJSON().Resources as Record<string, Resource>;
const resources = resourcesOf(template);
const idOf = (t: Template, type: string, prefix: string) =>
  Object.keys(t.findResources(type)).find((id) => id.startsWith(prefix)) ?? assert.fail(`no ${type} ${prefix}`);

const topicId = idOf(template, 'AWS::SNS::Topic', 'AlertChannelsTopic');
const topicKeyId = idOf(template, 'AWS::KMS::Key', 'AlertChannelsTopicKey');
const slackSecretId = idOf(template, 'AWS::SecretsManager::Secret', 'AlertChannelsSlackWebhookSecret');
const signingSecretId = idOf(template, 'AWS::SecretsManager::Secret', 'AlertChannelsWebhookSigningSecret');
const evaluatorId = idOf(template, 'AWS::Lambda::Function', 'AlertingEvaluator');
const queryApiId = idOf(template, 'AWS::Lambda::Function', 'QueryApi');
const alertsTableId = idOf(template, 'AWS::DynamoDB::Table', 'AlertsTable');
const rollupsTableId = idOf(template, 'AWS::DynamoDB::Table', 'RollupsTable');
const evaluator = resources[evaluatorId]!.Properties;

/** An ARN in the deploying account and region, as the CDK joins it. */
const arnIn = (service: string, resource: string) => ({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`],
  ],
});

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** Every statement of the policies on a function's role. */
function statementsOf(t: Template, fnId: string): Statement[] {
  const roleId = resourcesOf(t)[fnId]!.Properties.Role['Fn::GetAtt'][0];
  return Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** What a function's role may do, one `action resource` line per pair, sorted; X-Ray left out. */
function grantsOf(t: Template, fnId: string): string[] {
  return statementsOf(t, fnId)
    .flatMap((statement) =>
      [statement.Action].flat().flatMap((action) => [statement.Resource].flat().map((resource) => `${action} ${JSON.stringify(resource)}`)),
    )
    .filter((grant) => !grant.startsWith('xray:'))
    .sort();
}

const on = (resource: unknown, ...actions: string[]) => actions.map((action) => `${action} ${JSON.stringify(resource)}`);
const channelGrants = [
  ...on({ Ref: topicId }, 'sns:Publish'),
  ...on({ 'Fn::GetAtt': [topicKeyId, 'Arn'] }, 'kms:Decrypt', 'kms:GenerateDataKey*'),
  ...on({ Ref: slackSecretId }, 'secretsmanager:GetSecretValue'),
  ...on({ Ref: signingSecretId }, 'secretsmanager:GetSecretValue'),
  ...on(arnIn('secretsmanager', 'secret:team-a/slack-webhook-??????'), 'secretsmanager:GetSecretValue'),
  ...on(arnIn('ses', 'identity/alerts@example.com'), 'ses:SendEmail', 'ses:SendRawEmail'),
  ...on(arnIn('ses', 'identity/example.com'), 'ses:SendEmail', 'ses:SendRawEmail'),
];
const alertsTableArn = { 'Fn::GetAtt': [alertsTableId, 'Arn'] };
const alertsReadWrite = on(
  alertsTableArn,
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
);

describe('Alerting: the schedule', () => {
  it('runs the evaluator every minute', () => {
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [evaluatorId, 'Arn'] } })],
    });
  });

  it('drops a run it could not start within a minute, since the next one is due', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ RetryPolicy: { MaximumEventAgeInSeconds: 60 } })],
    });
  });

  it('may invoke the evaluator, and only from this rule', () => {
    const ruleId = idOf(template, 'AWS::Events::Rule', 'AlertingSchedule');
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [evaluatorId, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });

  it('does not retry a failed run: the next minute evaluates the same rules', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: evaluatorId },
      MaximumRetryAttempts: 0,
    });
  });
});

describe('Alerting: the evaluator function', () => {
  it('runs lambdas/handlers/alert-evaluator.ts with a minute for a run', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('alert evaluator'),
      Handler: 'index.handler',
      Timeout: 60,
    });
  });

  it('has no reserved concurrency: overlapping runs are safe', () => {
    assert.equal(evaluator.ReservedConcurrentExecutions, undefined);
  });

  it('gets the runtime config, with the config rules, and the schedule period', () => {
    const runtime = parseRuntimeConfig({ LOOKOUT_RUNTIME_CONFIG: evaluator.Environment.Variables.LOOKOUT_RUNTIME_CONFIG });
    assert.deepEqual(
      runtime.alerts.map((alert) => alert.name),
      ['Team errors', 'Team errors again', 'Direct Slack', 'Default Slack'],
    );
    assert.equal(evaluator.Environment.Variables.LOOKOUT_ALERT_INTERVAL_SECONDS, '60');
  });

  it('finds the alerts and rollups tables, the topic, both secrets, the sender and the public URL by their variables', () => {
    assert.deepEqual(
      { ...evaluator.Environment.Variables, LOOKOUT_RUNTIME_CONFIG: undefined, NODE_OPTIONS: undefined },
      {
        LOOKOUT_RUNTIME_CONFIG: undefined,
        NODE_OPTIONS: undefined,
        LOOKOUT_ALERT_INTERVAL_SECONDS: '60',
        LOOKOUT_ALERTS_TABLE: { Ref: alertsTableId },
        LOOKOUT_ROLLUPS_TABLE: { Ref: rollupsTableId },
        LOOKOUT_ALERT_TOPIC_ARN: { Ref: topicId },
        LOOKOUT_SLACK_WEBHOOK_SECRET: { Ref: slackSecretId },
        LOOKOUT_WEBHOOK_SIGNING_SECRET: { Ref: signingSecretId },
        LOOKOUT_ALERT_EMAIL_FROM: 'Lookout <alerts@example.com>',
        LOOKOUT_PUBLIC_URL: 'https://lookout.example.com/',
      },
    );
  });
});

describe("Alerting: the evaluator's grants", () => {
  it('publishes to the topic, reads the two secrets and the secret a config rule names, sends e-mail as the configured sender, moves rule state and reads the rollups: nothing more', () => {
    assert.deepEqual(
      grantsOf(template, evaluatorId),
      [
        ...channelGrants,
        ...alertsReadWrite,
        ...on({ 'Fn::GetAtt': [rollupsTableId, 'Arn'] }, 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'),
      ].sort(),
    );
  });

  it('sends e-mail only from the configured address, as its own identity or its domain', () => {
    const ses = statementsOf(template, evaluatorId).filter((statement) => JSON.stringify(statement.Action).includes('ses:'));
    assert.equal(ses.length, 1);
    assert.deepEqual(ses[0]!.Condition, { StringEquals: { 'ses:FromAddress': 'alerts@example.com' } });
    assert.deepEqual(ses[0]!.Action, ['ses:SendEmail', 'ses:SendRawEmail']);
  });

  it('never reads a Slack webhook given as a URL, nor lists or describes secrets', () => {
    assert.doesNotMatch(JSON.stringify(statementsOf(template, evaluatorId)), /hooks\.slack\.com|secretsmanager:(List|Describe)/);
  });
});

describe('Alerting without alertEmailFrom', () => {
  const evaluatorWithout = idOf(noEmail, 'AWS::Lambda::Function', 'AlertingEvaluator');
  const queryApiWithout = idOf(noEmail, 'AWS::Lambda::Function', 'QueryApi');

  it('grants no function any SES action', () => {
    for (const id of [evaluatorWithout, queryApiWithout]) {
      assert.deepEqual(
        grantsOf(noEmail, id).filter((grant) => grant.startsWith('ses:')),
        [],
      );
    }
    assert.doesNotMatch(JSON.stringify(noEmail.findResources('AWS::IAM::Policy')), /ses:/);
  });

  it('gives no function a sender', () => {
    for (const id of [evaluatorWithout, queryApiWithout]) {
      assert.equal(resourcesOf(noEmail)[id]!.Properties.Environment.Variables.LOOKOUT_ALERT_EMAIL_FROM, undefined);
    }
  });

  it('creates the topic and the secrets all the same, and a topic with no subscription', () => {
    noEmail.resourceCountIs('AWS::SNS::Topic', 1);
    noEmail.resourceCountIs('AWS::SNS::Subscription', 0);
    noEmail.resourceCountIs('AWS::SecretsManager::Secret', 2);
  });
});

describe('Alerting: the topic and its subscriptions', () => {
  it('is encrypted with a key of its own, and kept when its stack goes, as the key is', () => {
    template.hasResource('AWS::SNS::Topic', {
      Properties: Match.objectLike({ KmsMasterKeyId: { 'Fn::GetAtt': [topicKeyId, 'Arn'] } }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }), DeletionPolicy: 'Retain' });
  });

  /** The conditions that let in this account's CloudWatch alarms and no one else's. */
  const thisAccountsAlarms = {
    StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    ArnLike: {
      'aws:SourceArn': {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*'],
        ],
      },
    },
  };

  it("lets this account's CloudWatch alarms publish (observability.ts), which SNS's AWS-managed key would not", () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topicId },
            Condition: thisAccountsAlarms,
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: thisAccountsAlarms,
          },
        ]),
      },
    });
  });

  it('takes TLS only', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('subscribes each configured endpoint with its protocol: e-mail, SMS and https', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 3);
    for (const [protocol, endpoint] of [
      ['email', 'oncall@example.com'],
      ['sms', '+14155550100'],
      ['https', 'https://pager.example.com/hooks/lookout'],
    ]) {
      template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: topicId }, Protocol: protocol, Endpoint: endpoint });
    }
  });

  it('unsubscribes an endpoint removed from the config: subscriptions are not retained', () => {
    for (const subscription of Object.values(template.findResources('AWS::SNS::Subscription'))) {
      assert.notEqual(subscription.DeletionPolicy, 'Retain');
    }
  });
});

describe('Alerting: the secrets', () => {
  const slack = resources[slackSecretId]!;
  const signing = resources[signingSecretId]!;

  it('makes the Slack webhook secret empty, for the operator to put the URL in: the stack never knows it', () => {
    assert.equal(slack.Properties.SecretString, undefined);
    assert.equal(slack.Properties.GenerateSecretString, undefined);
  });

  it('tells the operator in its description how to put the URL', () => {
    assert.match(slack.Properties.Description, /Slack incoming-webhook URL/);
    assert.match(
      slack.Properties.Description,
      /aws secretsmanager put-secret-value --secret-id .* --secret-string https:\/\/hooks\.slack\.com/,
    );
  });

  it('generates the webhook signing key once: 64 letters and digits', () => {
    assert.deepEqual(signing.Properties.GenerateSecretString, { ExcludePunctuation: true, PasswordLength: 64 });
    assert.equal(signing.Properties.SecretString, undefined);
  });

  it('keeps both when their stack goes', () => {
    for (const secret of [slack, signing]) {
      assert.equal(secret.DeletionPolicy, 'Retain');
      assert.equal(secret.UpdateReplacePolicy, 'Retain');
    }
  });
});

describe("Alerting: the query API's test notification", () => {
  const variables = resources[queryApiId]!.Properties.Environment.Variables;

  it('has the same channels as the evaluator, and the alerts table to read and write', () => {
    const grants = grantsOf(template, queryApiId);
    for (const grant of [...channelGrants, ...alertsReadWrite]) assert.ok(grants.includes(grant), grant);
    const onChannels = grants.filter((grant) => /^(sns|ses|secretsmanager|kms):/.test(grant));
    assert.deepEqual(onChannels, channelGrants.toSorted());
  });

  it('finds the channels and the alerts table by the same variables as the evaluator', () => {
    for (const name of [
      'LOOKOUT_ALERTS_TABLE',
      'LOOKOUT_ALERT_TOPIC_ARN',
      'LOOKOUT_SLACK_WEBHOOK_SECRET',
      'LOOKOUT_WEBHOOK_SIGNING_SECRET',
      'LOOKOUT_ALERT_EMAIL_FROM',
      'LOOKOUT_PUBLIC_URL',
    ]) {
      assert.deepEqual(variables[name], evaluator.Environment.Variables[name], name);
    }
  });
});
