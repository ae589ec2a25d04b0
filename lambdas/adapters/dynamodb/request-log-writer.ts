import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestLogStore } from '../../core/ports/request-log-store.js';
import type { RequestLogRecord } from '../../core/request-log/request-log-record.js';
import { requestLogItem } from './request-log-item.js';

/** Writes request-log items; a record whose id is already stored is left as it is. */
export class RequestLogWriter implements RequestLogStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
  ) {}

  /** Stores the record once: returns false when an item with its id already exists. */
  async putOnce(record: RequestLogRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: requestLogItem(record, this.retentionDays),
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
