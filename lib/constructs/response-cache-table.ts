import { RemovalPolicy } from 'aws-cdk-lib';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { responseCacheTableSchema } from '../../lambdas/contract/table-schemas.js';
import { BindableCacheTable } from './bindable-resources.js';
import { lookoutTable } from './data-resources.js';

export interface ResponseCacheTableProps {
  /** Where entries too large for an item go, under `cache/` (the bucket's lifecycle expires them). */
  readonly bodiesBucket: IBucket;
}

/**
 * The response cache on DynamoDB (`cacheBackend: 'dynamodb'`): on demand, so it costs nothing while
 * idle, and needs no VPC. Items expire by `expiresAt`.
 */
export class ResponseCacheTable extends Construct {
  readonly cache: BindableCacheTable;

  constructor(scope: Construct, id: string, props: ResponseCacheTableProps) {
    super(scope, id);
    // A cached answer is rebuilt by the next miss: backups of it would double the storage bill,
    // and keeping the table after its stack is deleted would keep nothing worth having.
    const table = lookoutTable(this, 'Table', responseCacheTableSchema, {
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.cache = new BindableCacheTable(table, props.bodiesBucket);
  }
}
