import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { LookoutConfig } from '../../lambdas/contract/lookout-config.js';
import type { BindableBucket, BindableQueue, BindableTable } from '../constructs/bindable-resources.js';
import { KeysTable } from '../constructs/keys-table.js';
import { RequestLog } from '../constructs/request-log.js';

export interface StatefulStackProps extends StackProps {
  readonly config: LookoutConfig;
}

/**
 * Everything that holds data. Kept apart from the functions and the API so that replacing or
 * deleting those can never touch the data; every resource here is retained on stack deletion.
 */
export class StatefulStack extends Stack {
  readonly keysTable: BindableTable;
  readonly requestLogTable: BindableTable;
  readonly bodiesBucket: BindableBucket;
  readonly deadLetterQueue: BindableQueue;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.keysTable = new KeysTable(this, 'Keys').table;
    const requestLog = new RequestLog(this, 'RequestLog', { retentionDays: props.config.retentionDays });
    this.requestLogTable = requestLog.table;
    this.bodiesBucket = requestLog.bodiesBucket;
    this.deadLetterQueue = requestLog.deadLetterQueue;

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
  }
}
