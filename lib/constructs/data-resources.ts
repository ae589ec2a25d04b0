import { ProjectionType, StreamViewType, Table, type TableProps } from 'aws-cdk-lib/aws-dynamodb';
import { CfnServerlessCache, type CfnServerlessCacheProps } from 'aws-cdk-lib/aws-elasticache';
import { Bucket, type BucketProps } from 'aws-cdk-lib/aws-s3';
import { Queue, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { TableSchema } from '../../lambdas/contract/table-schemas.js';
import {
  bucketDefaults,
  queueDefaults,
  serverlessCacheDefaults,
  serverlessCacheRemovalPolicy,
  tableDefaults,
} from './data-resource-defaults.js';
import { dynamoAttribute } from './dynamo-attribute.js';

/*
 * The one place the defaults of data-resource-defaults.ts meet a caller's props: a caller's prop
 * wins over a default, so an exception is visible where it is made.
 */

/**
 * A table built from its schema (keys, indexes, TTL, stream), shared with the local runtime; `props`
 * may change a default, never the schema.
 */
export function lookoutTable(
  scope: Construct,
  id: string,
  schema: TableSchema,
  props: Pick<TableProps, 'pointInTimeRecoverySpecification' | 'removalPolicy'> = {},
): Table {
  const table = new Table(scope, id, {
    ...tableDefaults,
    ...props,
    partitionKey: dynamoAttribute(schema.partitionKey),
    sortKey: schema.sortKey && dynamoAttribute(schema.sortKey),
    timeToLiveAttribute: schema.timeToLiveAttribute,
    stream: schema.streamsNewImages ? StreamViewType.NEW_IMAGE : undefined,
  });
  for (const index of schema.globalIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: dynamoAttribute(index.partitionKey),
      sortKey: dynamoAttribute(index.sortKey),
      projectionType: ProjectionType.ALL,
    });
  }
  return table;
}

export function lookoutBucket(scope: Construct, id: string, props: BucketProps = {}): Bucket {
  return new Bucket(scope, id, { ...bucketDefaults, ...props });
}

export function lookoutQueue(scope: Construct, id: string, props: QueueProps = {}): Queue {
  return new Queue(scope, id, { ...queueDefaults, ...props });
}

/** The cache's name, network and limits are the caller's; the engine is the default's. */
export type LookoutServerlessCacheProps = Omit<CfnServerlessCacheProps, 'engine'>;

export function lookoutServerlessCache(scope: Construct, id: string, props: LookoutServerlessCacheProps): CfnServerlessCache {
  const cache = new CfnServerlessCache(scope, id, { ...serverlessCacheDefaults, ...props });
  cache.applyRemovalPolicy(serverlessCacheRemovalPolicy);
  return cache;
}
