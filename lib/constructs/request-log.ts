import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { requestLogTableSchema } from '../../lambdas/contract/table-schemas.js';
import { dynamoAttribute } from './dynamo-attribute.js';

export interface RequestLogProps {
  /** Days a logged request is kept: the table's TTL (set per item) and the bodies' lifecycle. */
  readonly retentionDays: number;
}

/**
 * Where every gateway request is recorded: one item per request in the table (streamed to the
 * aggregator), large bodies in the bucket, and the dead-letter queue for log writes that still
 * failed after retries, so they can be replayed rather than lost.
 */
export class RequestLog extends Construct {
  readonly table: Table;
  readonly bodiesBucket: Bucket;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: RequestLogProps) {
    super(scope, id);

    this.table = new Table(this, 'Table', {
      partitionKey: dynamoAttribute(requestLogTableSchema.partitionKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: requestLogTableSchema.timeToLiveAttribute,
      stream: StreamViewType.NEW_IMAGE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of requestLogTableSchema.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: dynamoAttribute(index.partitionKey),
        sortKey: dynamoAttribute(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }

    this.bodiesBucket = new Bucket(this, 'BodiesBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [
        { id: 'expire-with-request-log', expiration: Duration.days(props.retentionDays) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
