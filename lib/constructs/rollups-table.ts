import { Construct } from 'constructs';
import { rollupsTableSchema } from '../../lambdas/contract/table-schemas.js';
import { BindableRollupsTable } from './bindable-resources.js';
import { lookoutTable } from './data-resources.js';

/**
 * The usage rollups the aggregator builds from the request log's stream, which `/v1/metrics`
 * reads: on demand, buckets dropped by `expiresAt` once past their resolution's retention. Day
 * buckets are kept two years, longer than the log itself, so the table is data users keep: kept
 * and backed up (the table defaults), as the quotas are.
 */
export class RollupsTable extends Construct {
  readonly table: BindableRollupsTable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new BindableRollupsTable(lookoutTable(this, 'Table', rollupsTableSchema));
  }
}
