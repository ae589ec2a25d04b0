import { RemovalPolicy } from 'aws-cdk-lib';
import { BillingMode, type TableProps } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, BucketEncryption, ObjectOwnership, type BucketProps } from 'aws-cdk-lib/aws-s3';
import { QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';

/*
 * What every table, bucket and queue of Lookout gets unless its construct says otherwise, as
 * plain data; data-resources.ts merges it with the caller's props. Everything that holds data is
 * retained when its stack is deleted, so no deploy can take the data with it.
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
