import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { runtimeConfigFrom, type LookoutConfig } from '../../lambdas/contract/lookout-config.js';
import { providerSdkBasePath } from '../../lambdas/contract/provider-sdk-paths.js';
import type {
  BindableAlertsTable,
  BindableAlertTopic,
  BindableBucket,
  BindableQueue,
  BindableQuotaCounters,
  BindableQuotaTable,
  BindableResponseCache,
  BindableRollupsTable,
  BindableSecret,
  BindableTable,
} from '../constructs/bindable-resources.js';
import { Alerting } from '../constructs/alerting.js';
import { Gateway } from '../constructs/gateway.js';
import { GatewayApi } from '../constructs/gateway-api.js';
import { Observability } from '../constructs/observability.js';
import { QueryApi } from '../constructs/query-api.js';
import { UsageRollups } from '../constructs/usage-rollups.js';

export interface StatelessStackProps extends StackProps {
  readonly config: LookoutConfig;
  readonly keysTable: BindableTable;
  readonly requestLogTable: BindableTable;
  readonly bodiesBucket: BindableBucket;
  readonly deadLetterQueue: BindableQueue;
  readonly responseCache: BindableResponseCache;
  readonly quotasTable: BindableQuotaTable;
  readonly quotaCounters: BindableQuotaCounters;
  readonly rollupsTable: BindableRollupsTable;
  readonly alertsTable: BindableAlertsTable;
  readonly alertTopic: BindableAlertTopic;
  readonly slackWebhookSecret: BindableSecret;
  readonly webhookSigningSecret: BindableSecret;
  /**
   * The stateful stack's VPC, which the gateway joins to reach a Valkey cache, and the query API to
   * read the quota counters in it; none with DynamoDB.
   */
  readonly gatewayVpc: IVpc | undefined;
}

/** The functions and the API: safe to replace at any time, holds no data. */
export class StatelessStack extends Stack {
  readonly gateway: Gateway;
  readonly queryApi: QueryApi;
  readonly usageRollups: UsageRollups;
  readonly gatewayApi: GatewayApi;
  readonly alerting: Alerting;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const {
      config,
      keysTable,
      requestLogTable,
      bodiesBucket,
      deadLetterQueue,
      responseCache,
      quotasTable,
      quotaCounters,
      rollupsTable,
      alertsTable,
      gatewayVpc,
    } = props;
    const runtimeConfig = runtimeConfigFrom(config);
    const logRetentionDays = config.logRetentionDays;

    this.gateway = new Gateway(this, 'Gateway', {
      keysTable,
      requestLogTable,
      bodiesBucket,
      deadLetterQueue,
      responseCache,
      quotasTable,
      quotaCounters,
      vpc: gatewayVpc,
      runtimeConfig,
      logRetentionDays,
    });
    this.queryApi = new QueryApi(this, 'QueryApi', {
      keysTable,
      requestLogTable,
      bodiesBucket,
      quotasTable,
      quotaCounters,
      rollupsTable,
      alertsTable,
      vpc: gatewayVpc,
      runtimeConfig,
      logRetentionDays,
    });
    this.usageRollups = new UsageRollups(this, 'UsageRollups', {
      requestLogTable,
      rollupsTable,
      alertsTable,
      runtimeConfig,
      logRetentionDays,
    });

    const providerNames = Object.keys(config.providers);
    this.gatewayApi = new GatewayApi(this, 'GatewayApi', {
      gatewayFunction: this.gateway.function,
      queryApiFunction: this.queryApi.function,
      providerNames,
      stageName: config.stageName,
    });

    const publicUrl = config.publicUrl ?? this.gatewayApi.stageUrl;
    this.alerting = new Alerting(this, 'Alerting', {
      alertsTable,
      rollupsTable,
      topic: props.alertTopic,
      slackWebhookSecret: props.slackWebhookSecret,
      webhookSigningSecret: props.webhookSigningSecret,
      alertEmailFrom: config.alertEmailFrom,
      publicUrl,
      runtimeConfig,
      logRetentionDays,
    });
    this.queryApi.sendsAlertsThrough(this.alerting.channels);
    this.observability = new Observability(this, 'Observability', {
      gatewayFunction: this.gateway.function,
      queryApiFunction: this.queryApi.function,
      rollupAggregatorFunction: this.usageRollups.function,
      alertEvaluatorFunction: this.alerting.function,
      api: this.gatewayApi.api,
      requestLogTable: requestLogTable.table,
      keysTable: keysTable.table,
      rollupsTable: rollupsTable.table,
      requestLogDeadLetterQueue: deadLetterQueue.queue,
      rollupsDeadLetterQueue: this.usageRollups.deadLetterQueue,
      alertTopic: props.alertTopic.topic,
      providerNames,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.gatewayApi.api.url });
    new CfnOutput(this, 'PublicUrl', {
      description: 'Where the links in alert notifications point (publicUrl in lookout.config.ts, or the API URL)',
      value: publicUrl,
    });
    new CfnOutput(this, 'RollupsDeadLetterQueueUrl', {
      description: 'Stream batches the rollup aggregator gave up on (npm run rollups:rebuild)',
      value: this.usageRollups.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'DashboardUrl', {
      description:
        "Lookout's own health in CloudWatch: the gateway's metrics, the functions, API, tables and dead-letter queues, and the alarms",
      value: this.observability.dashboardUrl,
    });
    for (const name of providerNames) {
      new CfnOutput(this, providerBaseUrlOutputId(name), {
        description: `Base URL for the ${name} SDK`,
        value: this.gatewayApi.urlForPath(providerSdkBasePath(name)),
      });
    }
  }
}

/** `openai` → `OpenaiBaseUrl`, `my-llm` → `MyLlmBaseUrl` (output ids are alphanumeric). */
export function providerBaseUrlOutputId(providerName: string): string {
  const pascal = providerName
    .split('-')
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return `${pascal}BaseUrl`;
}
