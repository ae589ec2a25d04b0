import { ProjectionType, StreamViewType, Table, type TableProps } from 'aws-cdk-lib/aws-dynamodb';
import { CfnServerlessCache, type CfnServerlessCacheProps } from 'aws-cdk-lib/aws-elasticache';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { Bucket, type BucketProps } from 'aws-cdk-lib/aws-s3';
import { type CfnSecret, Secret, type SecretProps } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic, type TopicProps } from 'aws-cdk-lib/aws-sns';
import { Queue, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { TableSchema } from '../../lambdas/contract/table-schemas.js';
import {
  bucketDefaults,
  queueDefaults,
  secretDefaults,
  serverlessCacheDefaults,
  serverlessCacheRemovalPolicy,
  tableDefaults,
  topicDefaults,
  topicMasterKeyAlias,
  topicRemovalPolicy,
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

/** A topic with the defaults; `props.masterKey` would replace the AWS-managed key. */
export function lookoutTopic(scope: Construct, id: string, props: TopicProps = {}): Topic {
  const topic = new Topic(scope, id, {
    ...topicDefaults,
    ...props,
    masterKey: props.masterKey ?? Alias.fromAliasName(scope, `${id}MasterKey`, topicMasterKeyAlias),
  });
  topic.applyRemovalPolicy(topicRemovalPolicy);
  return topic;
}

/**
 * A secret with the defaults. `value: 'generated'` has Secrets Manager generate it once (64
 * letters and digits); `value: 'empty'` makes a secret with no value at all, for one an operator
 * puts: a deploy then never writes it, so it can never overwrite what the operator put.
 */
export function lookoutSecret(
  scope: Construct,
  id: string,
  props: Pick<SecretProps, 'description' | 'removalPolicy'> & { readonly value: 'generated' | 'empty' },
): Secret {
  const { value, ...secretProps } = props;
  const secret = new Secret(scope, id, {
    ...secretDefaults,
    ...secretProps,
    generateSecretString: { passwordLength: 64, excludePunctuation: true },
  });
  // The CDK always gives a secret a value; CloudFormation makes an empty one when it has neither.
  if (value === 'empty') (secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
  return secret;
}

/** The cache's name, network and limits are the caller's; the engine is the default's. */
export type LookoutServerlessCacheProps = Omit<CfnServerlessCacheProps, 'engine'>;

export function lookoutServerlessCache(scope: Construct, id: string, props: LookoutServerlessCacheProps): CfnServerlessCache {
  const cache = new CfnServerlessCache(scope, id, { ...serverlessCacheDefaults, ...props });
  cache.applyRemovalPolicy(serverlessCacheRemovalPolicy);
  return cache;
}
