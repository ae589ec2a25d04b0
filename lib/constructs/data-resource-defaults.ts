import { RemovalPolicy } from 'aws-cdk-lib';
import { BillingMode, type TableProps } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnServerlessCacheProps } from 'aws-cdk-lib/aws-elasticache';
import { BlockPublicAccess, BucketEncryption, ObjectOwnership, type BucketProps } from 'aws-cdk-lib/aws-s3';
import type { SecretProps } from 'aws-cdk-lib/aws-secretsmanager';
import type { TopicProps } from 'aws-cdk-lib/aws-sns';
import { QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';

/*
 * What every table, bucket, queue, topic, secret and cache of Lookout gets unless its construct says otherwise,
 * as plain data; data-resources.ts merges it with the caller's props. Everything that holds data is
 * retained when its stack is deleted, so no deploy can take the data with it; a cache holds nothing
 * that the next misses cannot rebuild, and is the exception.
 */

/** On-demand (a gateway's traffic is bursty), with point-in-time recovery. */
export const tableDefaults = {
  billingMode: BillingMode.PAY_PER_REQUEST,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies Partial<TableProps>;

/** Private, encrypted, TLS-only, with objects owned by the bucket's account (no ACLs). */
export const bucketDefaults = {
  encryption: BucketEncryption.S3_MANAGED,
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  enforceSSL: true,
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies BucketProps;

/** Encrypted and TLS-only. */
export const queueDefaults = {
  encryption: QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies QueueProps;

/** TLS-only; encrypted with SNS's AWS-managed key (`topicMasterKeyAlias`), which needs no key of Lookout's own. */
export const topicDefaults = {
  enforceSSL: true,
} as const satisfies TopicProps;

/**
 * The AWS-managed key SNS encrypts topics with: free, and its key policy lets any principal of the
 * account use it through SNS, so a publisher needs no KMS grant (nor can another account's or
 * service's publisher use it, which Lookout's topics never need).
 */
export const topicMasterKeyAlias = 'alias/aws/sns';

/**
 * Kept when the stack goes, like the data: a topic's subscribers confirmed it (replacing it would
 * ask each again), and a secret's value is put by an operator or generated once.
 */
export const topicRemovalPolicy = RemovalPolicy.RETAIN;

/** Kept when its stack goes; encrypted with Secrets Manager's AWS-managed key (the CDK's default). */
export const secretDefaults = {
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies SecretProps;

/**
 * ElastiCache Serverless for Valkey: a third cheaper than Redis OSS, with a tenth of its minimum
 * billed storage (100 MB). The major version is pinned so that an upgrade is a reviewed change.
 */
export const serverlessCacheDefaults = {
  engine: 'valkey',
  majorEngineVersion: '8',
} as const satisfies Partial<CfnServerlessCacheProps>;

/**
 * Deleted with its stack or on replacement: a retained cache would go on billing with nothing
 * using it, and would keep its VPC's subnets, so the VPC could not be deleted either.
 */
export const serverlessCacheRemovalPolicy = RemovalPolicy.DESTROY;
