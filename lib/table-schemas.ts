/**
 * The key schemas of Lookout's DynamoDB tables as plain data (no aws-cdk-lib), so the CDK
 * constructs and the local runtime's CreateTable calls are built from one definition.
 */

export type KeyAttributeType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyAttributeType;
}

export interface GlobalIndexSchema {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
}

export interface TableSchema {
  readonly partitionKey: KeyAttribute;
  readonly globalIndexes: readonly GlobalIndexSchema[];
  /** The epoch-seconds attribute DynamoDB expires items by, if any. */
  readonly timeToLiveAttribute?: string;
}

export const keysTableSchema: TableSchema = {
  partitionKey: { name: 'keyHash', type: 'S' },
  globalIndexes: [],
};

const createdAtMs: KeyAttribute = { name: 'createdAtMs', type: 'N' };

export const requestLogTableSchema: TableSchema = {
  partitionKey: { name: 'id', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  globalIndexes: [
    { indexName: 'byDay', partitionKey: { name: 'day', type: 'S' }, sortKey: createdAtMs },
    { indexName: 'byUser', partitionKey: { name: 'userId', type: 'S' }, sortKey: createdAtMs },
    { indexName: 'bySession', partitionKey: { name: 'sessionId', type: 'S' }, sortKey: createdAtMs },
  ],
};
