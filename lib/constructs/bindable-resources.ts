import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { EnvironmentVariableName } from '../../lambdas/contract/environment-variables.js';

/**
 * A resource a Lambda finds through one environment variable, with the kinds of access it can be
 * granted. `LookoutFunction.bind(resource, access)` sets the variable and makes the grant in one
 * call, so a function never has the name of a resource it may not use, nor a grant it cannot find.
 */
export interface Bindable<Access extends string> {
  /** The variable the Lambda reads the resource's name (or URL) from. */
  readonly environmentVariable: EnvironmentVariableName;
  readonly environmentValue: string;
  grant(grantee: IGrantable, access: Access): void;
}

/** `read`: get, query and scan. `put`: PutItem and nothing else (no update, delete or read). */
export type TableAccess = 'read' | 'put';

export class BindableTable implements Bindable<TableAccess> {
  constructor(
    readonly table: ITable,
    readonly environmentVariable: EnvironmentVariableName,
  ) {}

  get environmentValue(): string {
    return this.table.tableName;
  }

  grant(grantee: IGrantable, access: TableAccess): void {
    if (access === 'read') this.table.grantReadData(grantee);
    else this.table.grant(grantee, 'dynamodb:PutItem');
  }
}

/** `read`: get objects (and presign reads of them). `put`: write objects. */
export type BucketAccess = 'read' | 'put';

export class BindableBucket implements Bindable<BucketAccess> {
  constructor(
    readonly bucket: IBucket,
    readonly environmentVariable: EnvironmentVariableName,
  ) {}

  get environmentValue(): string {
    return this.bucket.bucketName;
  }

  grant(grantee: IGrantable, access: BucketAccess): void {
    if (access === 'read') this.bucket.grantRead(grantee);
    else this.bucket.grantPut(grantee);
  }
}

/** `send`: send messages, nothing else. */
export type QueueAccess = 'send';

export class BindableQueue implements Bindable<QueueAccess> {
  constructor(
    readonly queue: IQueue,
    readonly environmentVariable: EnvironmentVariableName,
  ) {}

  get environmentValue(): string {
    return this.queue.queueUrl;
  }

  grant(grantee: IGrantable, _access: QueueAccess): void {
    this.queue.grantSendMessages(grantee);
  }
}
