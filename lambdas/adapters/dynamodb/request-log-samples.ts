import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RollupSampleSource } from '../../core/ports/rollup-sample-source.js';
import type { TimeWindow } from '../../core/query/time-window.js';
import type { RollupSample } from '../../core/rollups/rollup-sample.js';
import { indexQueryExpressions } from './request-log-expressions.js';
import { daysNewestFirst } from './request-log-index.js';
import { ROLLUP_SAMPLE_ATTRIBUTES, rollupSampleFromItem } from './stream-record-image.js';

/** The request log's `byDay` index read oldest first with only the rollups' attributes: what a rebuild adds up. */
export class RequestLogSamples implements RollupSampleSource {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async *readSamples(window: TimeWindow): AsyncIterable<RollupSample[]> {
    for (const day of daysNewestFirst(window).reverse()) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'byDay',
            ...indexQueryExpressions({
              index: 'byDay',
              partition: day,
              window,
              newestFirst: false,
              filters: {},
              projection: ROLLUP_SAMPLE_ATTRIBUTES,
              startKey: null,
              limit: 0,
            }),
            ScanIndexForward: true,
            ExclusiveStartKey: startKey,
          }),
        );
        const items = page.Items ?? [];
        if (items.length > 0) yield items.map(rollupSampleFromItem);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
  }
}
