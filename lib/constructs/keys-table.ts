import { RemovalPolicy } from 'aws-cdk-lib';
import { BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { keysTableSchema } from '../../lambdas/contract/table-schemas.js';
import { dynamoAttribute } from './dynamo-attribute.js';

/** Gateway keys, stored by the hash of the key (the key itself is never stored). */
export class KeysTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: dynamoAttribute(keysTableSchema.partitionKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
