import { AttributeType, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import type { KeyAttribute } from '../../lambdas/contract/table-schemas.js';

/** Converts a key attribute from `table-schemas.ts` into the CDK's form. */
export function dynamoAttribute(attribute: KeyAttribute): Attribute {
  return { name: attribute.name, type: attribute.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}
