import { Construct } from 'constructs';
import { quotasTableSchema } from '../../lambdas/contract/table-schemas.js';
import { BindableQuotaTable } from './bindable-resources.js';
import { lookoutTable } from './data-resources.js';

/** The quotas made through `/v1/quotas`, by id: config a team wrote, so kept and backed up as the keys are. */
export class QuotasTable extends Construct {
  readonly table: BindableQuotaTable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new BindableQuotaTable(lookoutTable(this, 'Table', quotasTableSchema));
  }
}
