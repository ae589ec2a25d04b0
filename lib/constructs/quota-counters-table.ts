import { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { quotaCountersTableSchema } from '../../lambdas/contract/table-schemas.js';
import { BindableQuotaCounterTable } from './bindable-resources.js';
import { lookoutTable } from './data-resources.js';

/**
 * The quota counters on DynamoDB (`cacheBackend: 'dynamodb'`; with `valkey` they live in the
 * cache): on demand, items dropped by `expiresAt` once idle for longer than their window.
 */
export class QuotaCountersTable extends Construct {
  readonly counters: BindableQuotaCounterTable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // A counter is worth something only within its window: a restored backup would bring back
    // counts that no longer hold, and a table kept after its stack is deleted would count nothing,
    // so it is treated as the response cache is, the same as the counters on Valkey.
    const table = lookoutTable(this, 'Table', quotaCountersTableSchema, {
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.counters = new BindableQuotaCounterTable(table);
  }
}
