import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { EmailSubscription, SmsSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { AlertChannels } from '../../lambdas/contract/alert-rule.js';
import { EnvironmentVariable } from '../../lambdas/contract/environment-variables.js';
import { type AlertTopicSubscription, alertEmailAddress } from '../../lambdas/contract/lookout-config.js';
import type { RuntimeConfigInput } from '../../lambdas/contract/runtime-config-schema.js';
import {
  BindableAlertChannels,
  type BindableAlertsTable,
  BindableAlertTopic,
  type BindableRollupsTable,
  BindableSecret,
} from './bindable-resources.js';
import { lookoutSecret, lookoutTopic } from './data-resources.js';
import { LookoutFunction } from './lookout-function.js';

/*
 * The alerting concern: the channels' resources, which hold what a redeploy must not lose (in the
 * stateful stack), and the evaluator with its schedule (in the stateless stack).
 */

/** How often the evaluator runs: a rule's smallest window is a minute, and so is a rollup bucket. */
export const ALERT_EVALUATION_INTERVAL = Duration.minutes(1);
/** A run evaluates every rule over a few rollup reads each; a run that takes longer is overtaken by the next. */
export const ALERT_EVALUATOR_TIMEOUT = Duration.minutes(1);
/**
 * A scheduled run EventBridge could not start within a minute is dropped, and a failed run is not
 * retried: the next minute's run evaluates the same rules over fresher buckets (and a rule's state
 * is kept in the alerts table, so nothing is lost in between).
 */
export const ALERT_SCHEDULE_MAX_EVENT_AGE = Duration.minutes(1);
export const ALERT_EVALUATOR_RETRY_ATTEMPTS = 0;

export interface AlertChannelResourcesProps {
  /** `alertTopicSubscriptions` of the config. */
  readonly subscriptions: readonly AlertTopicSubscription[];
}

/**
 * The alerts SNS topic with a subscription per `alertTopicSubscriptions` entry, the secret holding
 * the default Slack webhook's URL, and the key rules' webhooks are signed with.
 *
 * In the stateful stack and retained, as the data is: a replaced topic would have a new ARN and
 * would ask every e-mail and https subscriber to confirm again, a replaced Slack secret would lose
 * the URL an operator put (the stack never knows it), and a replaced signing key would break every
 * receiver's signature check. The subscriptions follow the config: one removed there is
 * unsubscribed, so they are not retained.
 *
 * Lookout's CloudWatch alarms notify the topic too (`observability.ts`). CloudWatch can use
 * neither SNS's AWS-managed key (whose policy no one can extend to CloudWatch) nor a topic whose
 * policy (the TLS-only one) does not let it publish, so the topic has a key of its own (retained,
 * rotated yearly) and both the key and the topic let in this account's alarms, and only those.
 */
export class AlertChannelResources extends Construct {
  readonly topic: BindableAlertTopic;
  readonly slackWebhookSecret: BindableSecret;
  readonly webhookSigningSecret: BindableSecret;

  constructor(scope: Construct, id: string, props: AlertChannelResourcesProps) {
    super(scope, id);
    const topicKey = new Key(this, 'TopicKey', {
      description: "Lookout: encrypts the alerts topic; this account's CloudWatch alarms may use it to publish there",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const topic = lookoutTopic(this, 'Topic', { displayName: 'Lookout alerts', masterKey: topicKey });
    const cloudWatchAlarms = {
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
      },
    };
    topicKey.addToResourcePolicy(
      new PolicyStatement({ ...cloudWatchAlarms, actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'] }),
    );
    topic.addToResourcePolicy(new PolicyStatement({ ...cloudWatchAlarms, actions: ['sns:Publish'], resources: [topic.topicArn] }));
    for (const subscription of props.subscriptions) topic.addSubscription(topicSubscription(subscription));
    this.topic = new BindableAlertTopic(topic);

    this.slackWebhookSecret = new BindableSecret(
      lookoutSecret(this, 'SlackWebhookSecret', {
        description:
          'Lookout: the Slack incoming-webhook URL alert rules with `slack: true` post to. Empty until you put it: ' +
          'aws secretsmanager put-secret-value --secret-id <this secret> --secret-string https://hooks.slack.com/services/... ' +
          "(the stateful stack's output SlackWebhookSecretName names it). Deploys never change it.",
        value: 'empty',
      }),
      EnvironmentVariable.slackWebhookSecret,
    );
    this.webhookSigningSecret = new BindableSecret(
      lookoutSecret(this, 'WebhookSigningSecret', {
        description:
          "Lookout: the key alert webhooks are signed with (Lookout-Signature); generated once. Give it to each webhook's receiver to check signatures.",
        value: 'generated',
      }),
      EnvironmentVariable.webhookSigningSecret,
    );
  }
}

function topicSubscription({ protocol, endpoint }: AlertTopicSubscription) {
  if (protocol === 'email') return new EmailSubscription(endpoint);
  if (protocol === 'sms') return new SmsSubscription(endpoint);
  return new UrlSubscription(endpoint);
}

export interface AlertingProps {
  readonly alertsTable: BindableAlertsTable;
  /** The usage rollups the rules are evaluated over. */
  readonly rollupsTable: BindableRollupsTable;
  readonly topic: BindableAlertTopic;
  readonly slackWebhookSecret: BindableSecret;
  readonly webhookSigningSecret: BindableSecret;
  /** `alertEmailFrom` of the config; without it no function may send e-mail. */
  readonly alertEmailFrom?: string;
  /** The base of the links in notifications: `publicUrl` of the config, or the API's URL. */
  readonly publicUrl: string;
  /** The runtime part of the deployment config (its alert rules among it). */
  readonly runtimeConfig: RuntimeConfigInput;
  readonly logRetentionDays: number;
}

/**
 * The alert evaluator Lambda, which an EventBridge schedule runs every minute: it evaluates every
 * rule (config's and the API's) over the usage rollups, moves each rule's state in the alerts
 * table, and notifies on transitions. `channels` is what it notifies through, for the query API's
 * test notification to bind too. No reserved concurrency: two overlapping runs are safe, since a
 * rule's state moves by conditional writes and only the run that moves it notifies.
 */
export class Alerting extends Construct {
  readonly function: LookoutFunction;
  readonly channels: BindableAlertChannels;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    const address = props.alertEmailFrom === undefined ? undefined : alertEmailAddress(props.alertEmailFrom);
    this.channels = new BindableAlertChannels({
      topic: props.topic,
      slackWebhookSecret: props.slackWebhookSecret,
      webhookSigningSecret: props.webhookSigningSecret,
      emailFrom: props.alertEmailFrom !== undefined && address !== undefined ? { from: props.alertEmailFrom, address } : undefined,
      ruleSlackSecrets: ruleSlackSecrets(props.runtimeConfig.alerts ?? []),
      publicUrl: props.publicUrl,
    });

    this.function = new LookoutFunction(this, 'Evaluator', {
      entry: 'lambdas/handlers/alert-evaluator.ts',
      description: 'Lookout alert evaluator: evaluates the alert rules over the usage rollups every minute, notifies on transitions',
      logRetentionDays: props.logRetentionDays,
      timeout: ALERT_EVALUATOR_TIMEOUT,
      environment: {
        [EnvironmentVariable.runtimeConfig]: JSON.stringify(props.runtimeConfig),
        [EnvironmentVariable.alertIntervalSeconds]: String(ALERT_EVALUATION_INTERVAL.toSeconds()),
      },
    })
      .bind(props.alertsTable, 'read-write')
      .bind(props.rollupsTable, 'read')
      .bind(this.channels, 'notify');
    this.function.configureAsyncInvoke({ retryAttempts: ALERT_EVALUATOR_RETRY_ATTEMPTS });

    this.schedule = new Rule(this, 'Schedule', {
      description: 'Runs the Lookout alert evaluator every minute',
      schedule: Schedule.rate(ALERT_EVALUATION_INTERVAL),
      targets: [new LambdaFunction(this.function, { maxEventAge: ALERT_SCHEDULE_MAX_EVENT_AGE })],
    });
  }
}

/** The secrets config rules name in `slack` (anything but `true` or a URL), each once. */
export function ruleSlackSecrets(rules: readonly { readonly channels: AlertChannels }[]): string[] {
  const names = rules
    .map((rule) => rule.channels.slack)
    .filter((slack): slack is string => typeof slack === 'string' && !/^https?:\/\//i.test(slack));
  return [...new Set(names)];
}
