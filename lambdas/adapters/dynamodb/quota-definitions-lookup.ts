import type { QuotaDefinition } from '../../contract/quota-definition.js';
import type { QuotaLister } from '../../core/ports/quota-store.js';
import type { DynamoDbJsonClient } from './dynamodb-json-client.js';
import { quotaFromItem } from './quota-item.js';

/**
 * The gateway's side of the quotas table: it only lists the API's quotas, through the lean
 * client, page by page. They are made, changed and deleted by the query API through `QuotaTable`,
 * which keeps the SDK.
 */
export class QuotaDefinitionsLookup implements QuotaLister {
  constructor(
    private readonly client: DynamoDbJsonClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<QuotaDefinition[]> {
    const quotas: QuotaDefinition[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      // A strong read, as the query API's: a quota made a moment ago is enforced from the next list on.
      const page = await this.client.scan({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey });
      quotas.push(...page.items.map(quotaFromItem));
      ExclusiveStartKey = page.lastEvaluatedKey;
    } while (ExclusiveStartKey);
    return quotas;
  }
}
