import { Construct } from 'constructs';
import { alertsTableSchema } from '../../lambdas/contract/table-schemas.js';
import { BindableAlertsTable } from './bindable-resources.js';
import { lookoutTable } from './data-resources.js';

/**
 * The alerts by `pk` and `sk`: the rules made through `/v1/alerts`, each rule's state per group
 * and its history (dropped by `expiresAt`). Rules are config a team wrote, and a lost state would
 * notify every firing alert again, so kept and backed up (the table defaults), as the quotas are.
 */
export class AlertsTable extends Construct {
  readonly table: BindableAlertsTable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new BindableAlertsTable(lookoutTable(this, 'Table', alertsTableSchema));
  }
}
