import { RESPONSE_CACHE_OBJECTS_PREFIX } from '../../lambdas/contract/bucket-layout.js';
import { Aws } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IConnectable, type ISecurityGroup, Port } from 'aws-cdk-lib/aws-ec2';
import type { CfnServerlessCache } from 'aws-cdk-lib/aws-elasticache';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { EnvironmentVariable, type EnvironmentVariableName } from '../../lambdas/contract/environment-variables.js';

/**
 * What a resource is bound to: a principal to grant to and, for a resource reached inside a VPC,
 * the security groups to let through (a function outside any VPC has none, and binding it to such a
 * resource fails at synth).
 */
export type BindTarget = IGrantable & IConnectable;

/** The variables a Lambda finds a resource by, with their values. */
export type BindableEnvironment = Readonly<Partial<Record<EnvironmentVariableName, string>>>;

/**
 * A resource a Lambda finds through its environment variables, with the kinds of access it can be
 * granted. `LookoutFunction.bind(resource, access)` sets the variables and makes the grant in one
 * call, so a function never has the name of a resource it may not use, nor a grant it cannot find.
 */
export interface Bindable<Access extends string> {
  /** Usually one variable, the resource's name or URL; a resource may need a few (the Valkey cache's cluster mode). */
  readonly environment: BindableEnvironment;
  grant(grantee: BindTarget, access: Access): void;
}

/** `read`: get, query and scan. `put`: PutItem and nothing else (no update, delete or read). */
export type TableAccess = 'read' | 'put';

export class BindableTable implements Bindable<TableAccess> {
  constructor(
    readonly table: ITable,
    readonly environmentVariable: EnvironmentVariableName,
  ) {}

  get environment(): BindableEnvironment {
    return { [this.environmentVariable]: this.table.tableName };
  }

  grant(grantee: IGrantable, access: TableAccess): void {
    if (access === 'read') this.table.grantReadData(grantee);
    else this.table.grant(grantee, 'dynamodb:PutItem');
  }
}

/** `read`: get objects (and presign reads of them). `put`: write objects. */
export type BucketAccess = 'read' | 'put';

export class BindableBucket implements Bindable<BucketAccess> {
  constructor(
    readonly bucket: IBucket,
    readonly environmentVariable: EnvironmentVariableName,
  ) {}

  get environment(): BindableEnvironment {
    return { [this.environmentVariable]: this.bucket.bucketName };
  }

  grant(grantee: IGrantable, access: BucketAccess): void {
    if (access === 'read') this.bucket.grantRead(grantee);
    else this.bucket.grantPut(grantee);
  }
}

/** `send`: send messages, nothing else. */
export type QueueAccess = 'send';

export class BindableQueue implements Bindable<QueueAccess> {
  constructor(
    readonly queue: IQueue,
    readonly environmentVariable: EnvironmentVariableName,
  ) {}

  get environment(): BindableEnvironment {
    return { [this.environmentVariable]: this.queue.queueUrl };
  }

  grant(grantee: IGrantable, _access: QueueAccess): void {
    this.queue.grantSendMessages(grantee);
  }
}

/** `read-write`: look entries up by key and store them; never scan, update or delete. */
export type CacheAccess = 'read-write';

/** The response cache, whichever backend holds it: the gateway binds it the same way. */
export type BindableResponseCache = Bindable<CacheAccess>;

/**
 * The response cache on DynamoDB: an item per bucket slot in the table, and the entries too large
 * for an item under `cache/` in the bodies bucket. The binding names the bucket too, so that it
 * holds on its own, whatever else the function is bound to.
 */
export class BindableCacheTable implements BindableResponseCache {
  constructor(
    readonly table: ITable,
    readonly bodiesBucket: IBucket,
  ) {}

  get environment(): BindableEnvironment {
    return {
      [EnvironmentVariable.cacheTable]: this.table.tableName,
      [EnvironmentVariable.bodiesBucket]: this.bodiesBucket.bucketName,
    };
  }

  grant(grantee: IGrantable, _access: CacheAccess): void {
    // A lookup reads every slot of a bucket in one BatchGetItem; GetItem for a single slot.
    this.table.grant(grantee, 'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem');
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:PutObject'],
      resourceArns: [this.bodiesBucket.arnForObjects(`${RESPONSE_CACHE_OBJECTS_PREFIX}*`)],
    });
  }
}

/**
 * `read`: Scan and nothing else, since the gateway only loads every quota. `read-write`: what the
 * query API's list, get, create, replace and delete need.
 */
export type QuotaTableAccess = 'read' | 'read-write';

/** The quotas made through `/v1/quotas`. */
export class BindableQuotaTable implements Bindable<QuotaTableAccess> {
  constructor(readonly table: ITable) {}

  get environment(): BindableEnvironment {
    return { [EnvironmentVariable.quotasTable]: this.table.tableName };
  }

  grant(grantee: IGrantable, access: QuotaTableAccess): void {
    if (access === 'read') this.table.grant(grantee, 'dynamodb:Scan');
    else this.table.grant(grantee, 'dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem');
  }
}

/**
 * `read`: read a counter (the query API's usage). `read-write`: also reserve and settle (the
 * gateway); never scan or delete.
 */
export type QuotaCounterAccess = 'read' | 'read-write';

/** The quota counters, whichever backend holds them: a table, or the Valkey cache beside the response cache. */
export type BindableQuotaCounters = Bindable<QuotaCounterAccess>;

/** The quota counters on DynamoDB: one item per counter, read and swapped by conditional writes. */
export class BindableQuotaCounterTable implements BindableQuotaCounters {
  constructor(readonly table: ITable) {}

  get environment(): BindableEnvironment {
    return { [EnvironmentVariable.quotaCountersTable]: this.table.tableName };
  }

  grant(grantee: IGrantable, access: QuotaCounterAccess): void {
    if (access === 'read') this.table.grant(grantee, 'dynamodb:GetItem');
    // A counter is made by a conditional PutItem and changed by conditional UpdateItems.
    else this.table.grant(grantee, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
  }
}

/**
 * `read`: look buckets up by key and query a series' range (the query API's `/v1/metrics`).
 * `aggregate`: also write, as the aggregator does: it applies a batch's bucket updates and its
 * shard's checkpoint in one TransactWriteItems, which IAM authorizes by the actions of its parts
 * (Put, Update, ConditionCheck), so those are granted and there is no transaction action to grant.
 * Never scan or delete: buckets expire by TTL.
 */
export type RollupsTableAccess = 'read' | 'aggregate';

const rollupsReadActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

/** The usage rollups: bucket items, the aggregator's per-shard checkpoints and the cardinality guard's values. */
export class BindableRollupsTable implements Bindable<RollupsTableAccess> {
  constructor(readonly table: ITable) {}

  get environment(): BindableEnvironment {
    return { [EnvironmentVariable.rollupsTable]: this.table.tableName };
  }

  grant(grantee: IGrantable, access: RollupsTableAccess): void {
    if (access === 'read') this.table.grant(grantee, ...rollupsReadActions);
    else this.table.grant(grantee, ...rollupsReadActions, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem');
  }
}

/**
 * `read`: get a rule, list them, read a rule's state and history (the rollup aggregator, for the
 * properties rules index). `read-write`: also create, replace and delete rules, and move a rule's
 * state by conditional writes (the evaluator, the query API's `/v1/alerts`). Every record lives
 * until deleted or dropped by `expiresAt`, so there is no batch write.
 */
export type AlertsTableAccess = 'read' | 'read-write';

const alertsReadActions = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'] as const;

/** The alert rules made through `/v1/alerts`, each rule's state per group, and its history. */
export class BindableAlertsTable implements Bindable<AlertsTableAccess> {
  constructor(readonly table: ITable) {}

  get environment(): BindableEnvironment {
    return { [EnvironmentVariable.alertsTable]: this.table.tableName };
  }

  grant(grantee: IGrantable, access: AlertsTableAccess): void {
    if (access === 'read') this.table.grant(grantee, ...alertsReadActions);
    else
      this.table.grant(
        grantee,
        ...alertsReadActions,
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:ConditionCheckItem',
      );
  }
}

/**
 * `publish`: sns:Publish on the topic and nothing else: who is subscribed is the config's, never a
 * function's. A topic under a key of its own (the alerts topic's) needs kms:GenerateDataKey* and
 * kms:Decrypt on that key too, as SNS documents for publishers; one under SNS's AWS-managed key
 * needs no KMS grant, since that key's policy lets the account's principals use it through SNS.
 */
export type TopicAccess = 'publish';

/** The alerts topic, which a rule's `sns: true` publishes to. */
export class BindableAlertTopic implements Bindable<TopicAccess> {
  constructor(readonly topic: ITopic) {}

  get environment(): BindableEnvironment {
    return { [EnvironmentVariable.alertTopicArn]: this.topic.topicArn };
  }

  grant(grantee: IGrantable, _access: TopicAccess): void {
    Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: [this.topic.topicArn] });
    this.topic.masterKey?.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey*');
  }
}

/**
 * `read`: secretsmanager:GetSecretValue on the one secret, nothing else (no describe, list or put).
 * A secret under Secrets Manager's AWS-managed key needs no KMS grant.
 */
export type SecretAccess = 'read';

/** A secret a Lambda reads by its ARN. */
export class BindableSecret implements Bindable<SecretAccess> {
  constructor(
    readonly secret: ISecret,
    readonly environmentVariable: EnvironmentVariableName,
  ) {}

  get environment(): BindableEnvironment {
    return { [this.environmentVariable]: this.secret.secretArn };
  }

  grant(grantee: IGrantable, _access: SecretAccess): void {
    Grant.addToPrincipal({ grantee, actions: ['secretsmanager:GetSecretValue'], resourceArns: [this.secret.secretArn] });
  }
}

/** `notify`: send an alert notification on every channel: the topic, e-mail, Slack and signed webhooks. */
export type AlertChannelsAccess = 'notify';

export interface BindableAlertChannelsProps {
  readonly topic: BindableAlertTopic;
  /** The default Slack webhook's URL (a rule's `slack: true`). */
  readonly slackWebhookSecret: BindableSecret;
  /** The key rules' webhooks are signed with. */
  readonly webhookSigningSecret: BindableSecret;
  /** `alertEmailFrom` of the config; no e-mail without it. */
  readonly emailFrom?: { readonly from: string; readonly address: string };
  /** Secrets config rules name in `slack` (names or ARNs): each rule's own Slack webhook. */
  readonly ruleSlackSecrets: readonly string[];
  /** The base of the links in notifications. */
  readonly publicUrl: string;
}

/**
 * Everything a function needs to send alert notifications, in one binding, so the evaluator and
 * the query API's test notification can never be given different channels.
 *
 * E-mail: SES authorizes a send by the identity it sends as, which is the From address when SES
 * has verified that address, or else its domain; both identities are granted, each only for
 * mail from exactly that address (`ses:FromAddress`), so neither lets the function send as anyone
 * else. A rule's own Slack secret (`slack: "<secret name>"`) can be granted only when the config
 * names it; one named by a rule made through the API fails at delivery with AccessDenied unless
 * the operator grants it.
 */
export class BindableAlertChannels implements Bindable<AlertChannelsAccess> {
  constructor(readonly props: BindableAlertChannelsProps) {}

  get environment(): BindableEnvironment {
    const { topic, slackWebhookSecret, webhookSigningSecret, emailFrom, publicUrl } = this.props;
    return {
      ...topic.environment,
      ...slackWebhookSecret.environment,
      ...webhookSigningSecret.environment,
      ...(emailFrom ? { [EnvironmentVariable.alertEmailFrom]: emailFrom.from } : {}),
      [EnvironmentVariable.publicUrl]: publicUrl,
    };
  }

  grant(grantee: IGrantable, _access: AlertChannelsAccess): void {
    const { topic, slackWebhookSecret, webhookSigningSecret, emailFrom, ruleSlackSecrets } = this.props;
    topic.grant(grantee, 'publish');
    slackWebhookSecret.grant(grantee, 'read');
    webhookSigningSecret.grant(grantee, 'read');
    if (emailFrom) {
      const domain = emailFrom.address.slice(emailFrom.address.lastIndexOf('@') + 1);
      Grant.addToPrincipal({
        grantee,
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resourceArns: [sesIdentityArn(emailFrom.address), sesIdentityArn(domain)],
        conditions: { StringEquals: { 'ses:FromAddress': emailFrom.address } },
      });
    }
    if (ruleSlackSecrets.length > 0) {
      Grant.addToPrincipal({
        grantee,
        actions: ['secretsmanager:GetSecretValue'],
        resourceArns: ruleSlackSecrets.map(secretArnPattern),
      });
    }
  }
}

/** `arn:<partition>:ses:<region>:<account>:identity/<identity>`, in whichever stack the grant is made. */
export function sesIdentityArn(identity: string): string {
  return `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/${identity}`;
}

/** A secret's ARN as it is given, or any version of the secret of that name (Secrets Manager adds a six-character suffix). */
function secretArnPattern(nameOrArn: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${nameOrArn}-??????`;
}

/** ElastiCache Serverless listens on 6379 (the endpoint) and 6380 (reads from replicas). */
const valkeyPorts = Port.tcpRange(6379, 6380);

/**
 * The response cache on ElastiCache Serverless for Valkey, and the quota counters beside it,
 * reached over the network: binding lets the function's security group through the cache's. There
 * is no IAM grant, since the cache takes no IAM authentication (its default user); only the
 * functions let through can connect, and each may then run any command, so `read` grants what
 * `read-write` does.
 */
export class BindableValkeyCache implements BindableResponseCache, BindableQuotaCounters {
  constructor(
    readonly cache: CfnServerlessCache,
    /** The cache's own group, which lets in the bound functions' groups and nothing else. */
    readonly securityGroup: ISecurityGroup,
  ) {}

  get environment(): BindableEnvironment {
    return {
      // ElastiCache Serverless only takes TLS connections (rediss://) and is always a cluster.
      [EnvironmentVariable.redisUrl]: `rediss://${this.cache.attrEndpointAddress}:${this.cache.attrEndpointPort}`,
      [EnvironmentVariable.redisCluster]: 'true',
    };
  }

  grant(grantee: BindTarget, _access: CacheAccess | QuotaCounterAccess): void {
    // A remote rule: when the function is in another stack, the CDK puts the rule in the function's
    // stack, since the cache's stack must never depend on the functions' (that would be a cycle).
    // The functions' groups allow all outbound traffic already, so only the ingress is added.
    for (const peer of grantee.connections.securityGroups) {
      // One rule per group, however many times it is bound (the cache, then the counters): the CDK names a rule by peer and port.
      this.securityGroup.addIngressRule(
        peer,
        valkeyPorts,
        'Valkey from a function bound to the response cache or the quota counters',
        true,
      );
    }
  }
}
