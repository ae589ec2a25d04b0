import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * A batch of the request log's stream as Lambda delivers it to the aggregator. The event source
 * has a tumbling window, which is what puts `shardId` in the event: the aggregator keeps its
 * exactly-once checkpoint per shard, and a plain stream event does not say which shard it is from.
 * `npm start`'s stream poller builds the same event.
 */
export interface RollupStreamEvent extends DynamoDBStreamEvent {
  shardId: string;
  eventSourceARN: string;
  window: { start: string; end: string };
  /** The window's state; the aggregator keeps none, its state is in the rollups table. */
  state: Record<string, string>;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
}

/**
 * The aggregator's answer: the sequence number of the first record that was not applied (Lambda
 * retries from it, and everything after it), and the window state Lambda requires back.
 */
export interface RollupStreamResponse extends DynamoDBBatchResponse {
  state: Record<string, string>;
}
