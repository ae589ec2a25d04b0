import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { indexQueryExpressions } from '../../core/query/request-log-expressions.js';
import type { IndexPositionKey } from '../../core/query/request-log-index.js';
import type { IndexPage, IndexQuery, RequestLogReads } from '../../core/query/request-log-reads.js';
import { requestLogRecordFromItem, type RequestLogRecord } from '../../core/request-log/request-log-record.js';

/** Reads the request-log table: items by id, and pages of its `byDay` / `byUser` / `bySession` indexes. */
export class RequestLogTableReader implements RequestLogReads {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async queryIndex(query: IndexQuery): Promise<IndexPage> {
    const page = await this.client.send(new QueryCommand({
      TableName: this.tableName,
      IndexName: query.index,
      ...indexQueryExpressions(query),
      ScanIndexForward: !query.newestFirst,
      ExclusiveStartKey: query.startKey ?? undefined,
      Limit: query.limit,
    }));
    return {
      items: page.Items ?? [],
      lastKey: (page.LastEvaluatedKey as IndexPositionKey | undefined) ?? null,
      scannedCount: page.ScannedCount ?? 0,
    };
  }

  async findById(id: string): Promise<RequestLogRecord | null> {
    // A strong read costs one extra half unit and spares a client that looks up the Lookout-Id it
    // was just given a 404 (index reads cannot be strong; lists may lag by a moment).
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }));
    return Item ? requestLogRecordFromItem(Item) : null;
  }
}
