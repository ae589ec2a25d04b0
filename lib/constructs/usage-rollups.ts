import { Duration } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EnvironmentVariable } from '../../lambdas/contract/environment-variables.js';
import type { RuntimeConfigInput } from '../../lambdas/contract/runtime-config-schema.js';
import type { BindableAlertsTable, BindableRollupsTable, BindableTable } from './bindable-resources.js';
import { lookoutQueue } from './data-resources.js';
import { LookoutFunction } from './lookout-function.js';

/*
 * How the aggregator reads the request log's stream, one setting a line, each with its reason.
 */

/** From the oldest record the stream still holds (24 hours), so a new deployment misses nothing it has. */
export const ROLLUP_STARTING_POSITION = StartingPosition.TRIM_HORIZON;
/** Records per invocation: a batch's buckets are merged in memory, so a larger batch is fewer writes. */
export const ROLLUP_BATCH_SIZE = 500;
/** The longest a record waits for a batch to fill: a logged request must show in the metrics within seconds. */
export const ROLLUP_MAX_BATCHING_WINDOW = Duration.seconds(2);
/** A batch that keeps failing is split in two, then again, until the record that fails it is on its own. */
export const ROLLUP_BISECT_BATCH_ON_ERROR = true;
/** Tries of a failing batch before it is given up on to the dead-letter queue. */
export const ROLLUP_RETRY_ATTEMPTS = 10;
/** A record older than this is given up on too, so one stuck shard cannot hold its later records for a day. */
export const ROLLUP_MAX_RECORD_AGE = Duration.hours(6);
/** One invocation per shard at a time: the shard's checkpoint orders its batches, and would race with two. */
export const ROLLUP_PARALLELIZATION_FACTOR = 1;
/** The handler names the first record it did not apply; Lambda retries from there, not the whole batch. */
export const ROLLUP_REPORT_BATCH_ITEM_FAILURES = true;
/**
 * A tumbling window is what puts `shardId` in the event, which the per-shard checkpoint is keyed
 * by; the handler keeps no window state (its state is in the rollups table), so the longest.
 */
export const ROLLUP_TUMBLING_WINDOW = Duration.minutes(15);
/** Only new log items count: the log's items are never updated, and a TTL deletion must not uncount one. */
export const ROLLUP_FILTERS = [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })];
/** SQS keeps a message at most 14 days: the longest a given-up batch can wait for `npm run rollups:rebuild`. */
export const ROLLUP_DEAD_LETTER_RETENTION = Duration.days(14);
/** Enough for a batch of 500 records' bucket updates, checkpoint and retries of contended writes. */
export const ROLLUP_AGGREGATOR_TIMEOUT = Duration.minutes(2);

export interface UsageRollupsProps {
  /** The request log, whose stream of new items is the aggregator's event source. */
  readonly requestLogTable: BindableTable;
  readonly rollupsTable: BindableRollupsTable;
  /** The alert rules made through `/v1/alerts`: the properties they filter or group by are indexed too. */
  readonly alertsTable: BindableAlertsTable;
  /** The runtime part of the deployment config (indexed properties, retention, the cardinality guard). */
  readonly runtimeConfig: RuntimeConfigInput;
  readonly logRetentionDays: number;
}

/**
 * The usage rollups (the `usage-rollups` concern): the aggregator Lambda that reads each new
 * request-log item off the table's stream and adds it to the per-minute, hour and day buckets of
 * the rollups table, and the dead-letter queue for the batches it gave up on. Lambda sends that
 * queue the batch's metadata (shard and sequence range), not its records: `npm run
 * rollups:rebuild` rebuilds the range from the log. The function reads nothing else of the log,
 * since the stream carries the items; the event source grants the stream read and the send.
 */
export class UsageRollups extends Construct {
  readonly function: LookoutFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: UsageRollupsProps) {
    super(scope, id);
    this.function = new LookoutFunction(this, 'Aggregator', {
      entry: 'lambdas/handlers/rollup-aggregator.ts',
      description: 'Lookout rollup aggregator: adds each logged request to the usage rollups, from the request-log stream',
      logRetentionDays: props.logRetentionDays,
      timeout: ROLLUP_AGGREGATOR_TIMEOUT,
      environment: { [EnvironmentVariable.runtimeConfig]: JSON.stringify(props.runtimeConfig) },
    })
      .bind(props.rollupsTable, 'aggregate')
      .bind(props.alertsTable, 'read');

    this.deadLetterQueue = lookoutQueue(this, 'DeadLetterQueue', { retentionPeriod: ROLLUP_DEAD_LETTER_RETENTION });

    this.function.addEventSource(
      new DynamoEventSource(props.requestLogTable.table, {
        startingPosition: ROLLUP_STARTING_POSITION,
        batchSize: ROLLUP_BATCH_SIZE,
        maxBatchingWindow: ROLLUP_MAX_BATCHING_WINDOW,
        bisectBatchOnError: ROLLUP_BISECT_BATCH_ON_ERROR,
        retryAttempts: ROLLUP_RETRY_ATTEMPTS,
        maxRecordAge: ROLLUP_MAX_RECORD_AGE,
        parallelizationFactor: ROLLUP_PARALLELIZATION_FACTOR,
        reportBatchItemFailures: ROLLUP_REPORT_BATCH_ITEM_FAILURES,
        tumblingWindow: ROLLUP_TUMBLING_WINDOW,
        filters: ROLLUP_FILTERS,
        onFailure: new SqsDlq(this.deadLetterQueue),
      }),
    );
  }
}
