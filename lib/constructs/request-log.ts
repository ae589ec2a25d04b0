import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentVariable } from '../../lambdas/contract/environment-variables.js';
import { requestLogTableSchema } from '../../lambdas/contract/table-schemas.js';
import { BindableBucket, BindableQueue, BindableTable } from './bindable-resources.js';
import { lookoutBucket, lookoutQueue, lookoutTable } from './data-resources.js';

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
  readonly table: BindableTable;
  readonly bodiesBucket: BindableBucket;
  readonly deadLetterQueue: BindableQueue;

  constructor(scope: Construct, id: string, props: RequestLogProps) {
    super(scope, id);

    this.table = new BindableTable(lookoutTable(this, 'Table', requestLogTableSchema), EnvironmentVariable.requestLogTable);

    const bodiesBucket = lookoutBucket(this, 'BodiesBucket', {
      lifecycleRules: [
        { id: 'expire-with-request-log', expiration: Duration.days(props.retentionDays) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    this.bodiesBucket = new BindableBucket(bodiesBucket, EnvironmentVariable.bodiesBucket);

    // SQS keeps a message at most 14 days: the longest a failed write can wait to be replayed.
    const deadLetterQueue = lookoutQueue(this, 'DeadLetterQueue', { retentionPeriod: Duration.days(14) });
    this.deadLetterQueue = new BindableQueue(deadLetterQueue, EnvironmentVariable.deadLetterQueueUrl);
  }
}
