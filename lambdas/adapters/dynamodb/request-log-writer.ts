import type { RequestLogStore } from '../../core/ports/request-log-store.js';
import type { RequestLogRecord } from '../../core/request-log/request-log-record.js';
import type { DynamoDbJsonClient } from './dynamodb-json-client.js';
import { DynamoDbError } from './dynamodb-json-errors.js';
import { requestLogItem } from './request-log-item-shape.js';

/**
 * Writes request-log items; a record whose id is already stored is left as it is. The client
 * should make one attempt per call (`SINGLE_ATTEMPT`): the recorder retries each write itself.
 */
export class RequestLogWriter implements RequestLogStore {
  constructor(
    private readonly client: DynamoDbJsonClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
  ) {}

  /** Stores the record once: returns false when an item with its id already exists. */
  async putOnce(record: RequestLogRecord): Promise<boolean> {
    try {
      await this.client.putItem({
        TableName: this.tableName,
        Item: requestLogItem(record, this.retentionDays),
        ConditionExpression: 'attribute_not_exists(id)',
      });
      return true;
    } catch (error) {
      if (error instanceof DynamoDbError && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
