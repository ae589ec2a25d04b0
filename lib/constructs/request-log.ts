import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentVariable } from '../../lambdas/contract/environment-variables.js';
import { requestLogTableSchema } from '../../lambdas/contract/table-schemas.js';
import { MAX_CACHE_TTL_SECONDS, REQUEST_BODIES_PREFIX, RESPONSE_CACHE_OBJECTS_PREFIX } from '../../lambdas/contract/bucket-layout.js';
import { BindableBucket, BindableQueue, BindableTable } from './bindable-resources.js';
import { lookoutBucket, lookoutQueue, lookoutTable } from './data-resources.js';

/** A day longer than the longest a cache entry lives, so an entry's object outlives the item pointing at it. */
export const responseCacheObjectLifetime = Duration.days(MAX_CACHE_TTL_SECONDS / 86_400 + 1);

export interface RequestLogProps {
  /** Days a logged request is kept: the table's TTL (set per item) and the bodies' lifecycle. */
  readonly retentionDays: number;
}

/**
 * Where every gateway request is recorded: one item per request in the table (streamed to the
 * aggregator), large bodies in the bucket, and the dead-letter queue for log writes that still
 * failed after retries, so they can be replayed rather than lost. The bucket also holds the large
 * entries of the response cache on DynamoDB, under their own prefix.
 */
export class RequestLog extends Construct {
  readonly table: BindableTable;
  readonly bodiesBucket: BindableBucket;
  readonly deadLetterQueue: BindableQueue;

  constructor(scope: Construct, id: string, props: RequestLogProps) {
    super(scope, id);

    this.table = new BindableTable(lookoutTable(this, 'Table', requestLogTableSchema), EnvironmentVariable.requestLogTable);

    // Each prefix expires with what points at it. Where two expiration rules both apply, S3 keeps
    // the shorter, so a bucket-wide rule would cut cache entries off at the log's retention.
    const bodiesBucket = lookoutBucket(this, 'BodiesBucket', {
      lifecycleRules: [
        { id: 'expire-with-request-log', prefix: REQUEST_BODIES_PREFIX, expiration: Duration.days(props.retentionDays) },
        { id: 'expire-with-response-cache', prefix: RESPONSE_CACHE_OBJECTS_PREFIX, expiration: responseCacheObjectLifetime },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    this.bodiesBucket = new BindableBucket(bodiesBucket, EnvironmentVariable.bodiesBucket);

    // SQS keeps a message at most 14 days: the longest a failed write can wait to be replayed.
    const deadLetterQueue = lookoutQueue(this, 'DeadLetterQueue', { retentionPeriod: Duration.days(14) });
    this.deadLetterQueue = new BindableQueue(deadLetterQueue, EnvironmentVariable.deadLetterQueueUrl);
  }
}
