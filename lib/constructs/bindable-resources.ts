import { RESPONSE_CACHE_OBJECTS_PREFIX } from '../../lambdas/contract/bucket-layout.js';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IConnectable, type ISecurityGroup, Port } from 'aws-cdk-lib/aws-ec2';
import type { CfnServerlessCache } from 'aws-cdk-lib/aws-elasticache';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
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
