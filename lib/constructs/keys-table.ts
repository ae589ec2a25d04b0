import { Construct } from 'constructs';
import { EnvironmentVariable } from '../../lambdas/contract/environment-variables.js';
import { keysTableSchema } from '../../lambdas/contract/table-schemas.js';
import { BindableTable } from './bindable-resources.js';
import { lookoutTable } from './data-resources.js';

/** Gateway keys, stored by the hash of the key (the key itself is never stored). */
export class KeysTable extends Construct {
  readonly table: BindableTable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new BindableTable(lookoutTable(this, 'Table', keysTableSchema), EnvironmentVariable.keysTable);
  }
}
