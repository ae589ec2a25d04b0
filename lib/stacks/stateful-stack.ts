import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { LookoutConfig } from '../../lambdas/contract/lookout-config.js';
import { AlertChannelResources } from '../constructs/alerting.js';
import { AlertsTable } from '../constructs/alerts-table.js';
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
import { GatewayNetwork } from '../constructs/gateway-network.js';
import { KeysTable } from '../constructs/keys-table.js';
import { QuotaCountersTable } from '../constructs/quota-counters-table.js';
import { QuotasTable } from '../constructs/quotas-table.js';
import { RequestLog } from '../constructs/request-log.js';
import { ResponseCacheTable } from '../constructs/response-cache-table.js';
import { RollupsTable } from '../constructs/rollups-table.js';
import { ValkeyCache } from '../constructs/valkey-cache.js';

export interface StatefulStackProps extends StackProps {
  readonly config: LookoutConfig;
}

/**
 * Everything that holds data. Kept apart from the functions and the API so that replacing or
 * deleting those can never touch the data; every resource here is retained on stack deletion,
 * except the response cache, whose entries the next misses rebuild, and the quota counters, which
 * mean nothing once their windows have passed.
 *
 * The alerts topic and the alert secrets are here too, though they hold no rows: the topic's
 * subscribers confirmed it, and the secrets' values were put by an operator (the Slack webhook's
 * URL) or given to webhook receivers (the signing key); a redeploy must lose none of them.
 *
 * With the Valkey backend the VPC is here too: the cache (and the quota counters in it) lives in its
 * subnets, so replacing the VPC would replace the cache, and neither may change when the functions
 * are redeployed. The stateless stack gets the VPC explicitly; the functions' own security groups,
 * and the rules that let them into the cache's, are made there and go with the functions.
 */
export class StatefulStack extends Stack {
  readonly keysTable: BindableTable;
  readonly requestLogTable: BindableTable;
  readonly bodiesBucket: BindableBucket;
  readonly deadLetterQueue: BindableQueue;
  readonly responseCache: BindableResponseCache;
  readonly quotasTable: BindableQuotaTable;
  /** A table with the DynamoDB backend; with Valkey, the response cache's Valkey cache. */
  readonly quotaCounters: BindableQuotaCounters;
  readonly rollupsTable: BindableRollupsTable;
  readonly alertsTable: BindableAlertsTable;
  readonly alertTopic: BindableAlertTopic;
  readonly slackWebhookSecret: BindableSecret;
  readonly webhookSigningSecret: BindableSecret;
  /**
   * The VPC the functions that reach the Valkey cache run in (the gateway, and the query API for
   * the quota counters); none with the DynamoDB backend.
   */
  readonly gatewayVpc: IVpc | undefined;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.keysTable = new KeysTable(this, 'Keys').table;
    const requestLog = new RequestLog(this, 'RequestLog', { retentionDays: config.retentionDays });
    this.requestLogTable = requestLog.table;
    this.bodiesBucket = requestLog.bodiesBucket;
    this.deadLetterQueue = requestLog.deadLetterQueue;

    this.quotasTable = new QuotasTable(this, 'Quotas').table;
    this.rollupsTable = new RollupsTable(this, 'Rollups').table;
    this.alertsTable = new AlertsTable(this, 'Alerts').table;
    const alertChannels = new AlertChannelResources(this, 'AlertChannels', { subscriptions: config.alertTopicSubscriptions });
    this.alertTopic = alertChannels.topic;
    this.slackWebhookSecret = alertChannels.slackWebhookSecret;
    this.webhookSigningSecret = alertChannels.webhookSigningSecret;
    const cacheBackend = addCacheBackend(this, config, this.bodiesBucket.bucket);
    this.responseCache = cacheBackend.responseCache;
    this.quotaCounters = cacheBackend.quotaCounters;
    this.gatewayVpc = cacheBackend.gatewayVpc;

    const keysTableName = this.keysTable.table.tableName;
    new CfnOutput(this, 'KeysTableName', {
      description: 'Gateway keys table (npm run keys -- ... --table <this>)',
      value: keysTableName,
    });
    new CfnOutput(this, 'CreateAdminKeyCommand', {
      description: 'Creates the first gateway key',
      value: `npm run keys -- create --name NAME --role admin --table ${keysTableName}`,
    });
    new CfnOutput(this, 'RequestLogTableName', { value: this.requestLogTable.table.tableName });
    new CfnOutput(this, 'BodiesBucketName', { value: this.bodiesBucket.bucket.bucketName });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      description: 'Request-log writes that failed after retries (npm run logs:replay)',
      value: this.deadLetterQueue.queue.queueUrl,
    });
    new CfnOutput(this, 'ResponseCacheBackend', { description: 'cacheBackend in lookout.config.ts', value: config.cacheBackend });
    new CfnOutput(this, 'QuotasTableName', { description: 'Quotas made through /v1/quotas', value: this.quotasTable.table.tableName });
    new CfnOutput(this, 'RollupsTableName', { description: 'Usage rollups /v1/metrics reads', value: this.rollupsTable.table.tableName });
    new CfnOutput(this, 'AlertsTableName', {
      description: "Alert rules made through /v1/alerts, and every rule's state and history",
      value: this.alertsTable.table.tableName,
    });
    new CfnOutput(this, 'AlertTopicArn', {
      description: 'The alerts topic (alertTopicSubscriptions in lookout.config.ts; rules with sns: true)',
      value: this.alertTopic.topic.topicArn,
    });
    new CfnOutput(this, 'SlackWebhookSecretName', {
      description: 'Put the Slack incoming-webhook URL here: aws secretsmanager put-secret-value --secret-id <this> --secret-string <url>',
      value: this.slackWebhookSecret.secret.secretName,
    });
  }
}

/**
 * The response cache and the quota counters on the configured backend, and the VPC the functions
 * must join to reach them (Valkey only): the counters live where the cache does, so a deployment
 * pays for one store.
 */
function addCacheBackend(
  stack: Stack,
  config: LookoutConfig,
  bodiesBucket: IBucket,
): { responseCache: BindableResponseCache; quotaCounters: BindableQuotaCounters; gatewayVpc: IVpc | undefined } {
  if (config.cacheBackend === 'dynamodb') {
    const { cache } = new ResponseCacheTable(stack, 'ResponseCache', { bodiesBucket });
    const { counters } = new QuotaCountersTable(stack, 'QuotaCounters');
    new CfnOutput(stack, 'ResponseCacheTableName', { value: cache.table.tableName });
    new CfnOutput(stack, 'QuotaCountersTableName', { value: counters.table.tableName });
    return { responseCache: cache, quotaCounters: counters, gatewayVpc: undefined };
  }
  const { vpc } = new GatewayNetwork(stack, 'GatewayNetwork', { natGateways: config.natGateways });
  const { cache } = new ValkeyCache(stack, 'ResponseCache', { vpc, limits: config.valkeyLimits });
  new CfnOutput(stack, 'ResponseCacheEndpoint', {
    description: 'The response cache and the quota counters: TLS only, reachable from the bound functions only',
    value: `${cache.cache.attrEndpointAddress}:${cache.cache.attrEndpointPort}`,
  });
  return { responseCache: cache, quotaCounters: cache, gatewayVpc: vpc };
}
