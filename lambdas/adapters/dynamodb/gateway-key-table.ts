import { GetCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GatewayKeyRecord } from '../../core/auth/gateway-key.js';
import type { GatewayKeyStore } from '../../core/ports/gateway-key-store.js';

/** Gateway keys in DynamoDB, one item per key under its SHA-256 (`keyHash`). */
export class GatewayKeyTable implements GatewayKeyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findByHash(keyHash: string): Promise<GatewayKeyRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { keyHash }, ConsistentRead: true }));
    return Item as GatewayKeyRecord | undefined;
  }

  async create(record: GatewayKeyRecord): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: record, ConditionExpression: 'attribute_not_exists(keyHash)' }),
    );
  }

  async list(): Promise<GatewayKeyRecord[]> {
    const items: GatewayKeyRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new ScanCommand({ TableName: this.tableName, ExclusiveStartKey }));
      items.push(...((page.Items ?? []) as GatewayKeyRecord[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async revoke(keyHash: string, revokedAt: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { keyHash },
          UpdateExpression: 'SET revokedAt = :at',
          ConditionExpression: 'attribute_exists(keyHash)',
          ExpressionAttributeValues: { ':at': revokedAt },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Lifts a revocation: `npm start` does so for the dev key a user names in LOOKOUT_DEV_KEY. */
  async reactivate(keyHash: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { keyHash },
        UpdateExpression: 'REMOVE revokedAt',
        ConditionExpression: 'attribute_exists(keyHash)',
      }),
    );
  }
}
