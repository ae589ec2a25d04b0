import { DeleteCommand, GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuotaDefinition } from '../../contract/quota-definition.js';
import type { QuotaStore } from '../../core/ports/quota-store.js';
import { quotaFromItem, quotaItem } from './quota-item.js';

/**
 * The API's quotas in DynamoDB, one item per quota under its `id`, for the query API. Reads are
 * strong, so a quota is listed the moment it was made. The gateway lists them through the lean
 * `QuotaDefinitionsLookup` instead.
 */
export class QuotaTable implements QuotaStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Every API quota, by name (a small table: a Scan, page by page). */
  async list(): Promise<QuotaDefinition[]> {
    const quotas: QuotaDefinition[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey }));
      quotas.push(...(page.Items ?? []).map(quotaFromItem));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return quotas.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<QuotaDefinition | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }));
    return Item && quotaFromItem(Item);
  }

  async create(definition: QuotaDefinition): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: quotaItem(definition), ConditionExpression: 'attribute_not_exists(id)' }),
    );
  }

  async replace(definition: QuotaDefinition): Promise<boolean> {
    return whenItemExists(
      this.client.send(
        new PutCommand({ TableName: this.tableName, Item: quotaItem(definition), ConditionExpression: 'attribute_exists(id)' }),
      ),
    );
  }

  async delete(id: string): Promise<boolean> {
    return whenItemExists(
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { id }, ConditionExpression: 'attribute_exists(id)' })),
    );
  }
}

/** True once a write conditional on its item existing went through, false when there was no item. */
async function whenItemExists(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
