import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { LookoutConfig } from '../../lambdas/contract/lookout-config.js';
import type { BindableBucket, BindableQueue, BindableResponseCache, BindableTable } from '../constructs/bindable-resources.js';
import { GatewayNetwork } from '../constructs/gateway-network.js';
import { KeysTable } from '../constructs/keys-table.js';
import { RequestLog } from '../constructs/request-log.js';
import { ResponseCacheTable } from '../constructs/response-cache-table.js';
import { ValkeyCache } from '../constructs/valkey-cache.js';

export interface StatefulStackProps extends StackProps {
  readonly config: LookoutConfig;
}

/**
 * Everything that holds data. Kept apart from the functions and the API so that replacing or
 * deleting those can never touch the data; every resource here is retained on stack deletion,
 * except the response cache, whose entries the next misses rebuild.
 *
 * With the Valkey backend the VPC is here too: the cache lives in its subnets, so replacing the VPC
 * would replace the cache, and neither may change when the functions are redeployed. The stateless
 * stack gets the VPC explicitly; the gateway's own security group, and the rule that lets it into
 * the cache's, are made there and go with the function.
 */
export class StatefulStack extends Stack {
  readonly keysTable: BindableTable;
  readonly requestLogTable: BindableTable;
  readonly bodiesBucket: BindableBucket;
  readonly deadLetterQueue: BindableQueue;
  readonly responseCache: BindableResponseCache;
  /** The VPC the gateway must run in to reach the response cache; none with the DynamoDB backend. */
  readonly gatewayVpc: IVpc | undefined;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.keysTable = new KeysTable(this, 'Keys').table;
    const requestLog = new RequestLog(this, 'RequestLog', { retentionDays: config.retentionDays });
    this.requestLogTable = requestLog.table;
    this.bodiesBucket = requestLog.bodiesBucket;
    this.deadLetterQueue = requestLog.deadLetterQueue;

    const responseCache = addResponseCache(this, config, this.bodiesBucket.bucket);
    this.responseCache = responseCache.cache;
    this.gatewayVpc = responseCache.gatewayVpc;

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
  }
}

/** The response cache on the configured backend, and the VPC the gateway must join to reach it (Valkey only). */
function addResponseCache(
  stack: Stack,
  config: LookoutConfig,
  bodiesBucket: IBucket,
): { cache: BindableResponseCache; gatewayVpc: IVpc | undefined } {
  if (config.cacheBackend === 'dynamodb') {
    const { cache } = new ResponseCacheTable(stack, 'ResponseCache', { bodiesBucket });
    new CfnOutput(stack, 'ResponseCacheTableName', { value: cache.table.tableName });
    return { cache, gatewayVpc: undefined };
  }
  const { vpc } = new GatewayNetwork(stack, 'GatewayNetwork', { natGateways: config.natGateways });
  const { cache } = new ValkeyCache(stack, 'ResponseCache', { vpc, limits: config.valkeyLimits });
  new CfnOutput(stack, 'ResponseCacheEndpoint', {
    description: 'The response cache: TLS only, reachable from the gateway security group only',
    value: `${cache.cache.attrEndpointAddress}:${cache.cache.attrEndpointPort}`,
  });
  return { cache, gatewayVpc: vpc };
}
