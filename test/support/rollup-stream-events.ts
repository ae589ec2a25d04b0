import { marshall } from '@aws-sdk/util-dynamodb';
import { requestLogItem } from '../../lambdas/adapters/dynamodb/request-log-item.js';
import type { RequestLogRecord } from '../../lambdas/core/request-log/request-log-record.js';
import type { RollupStreamEvent } from '../../lambdas/handlers/rollup-stream-event.js';

/** A request log record as a stream record carries it: the item the gateway writes, with its sequence number. */
export interface StreamedRecord {
  sequenceNumber: string;
  record: RequestLogRecord;
}

/** Records numbered in shard order from `first`. */
export function streamed(records: readonly RequestLogRecord[], first = 1000): StreamedRecord[] {
  return records.map((record, index) => ({ sequenceNumber: String(first + index), record }));
}

/** The event Lambda gives the aggregator for these records of one shard (tumbling window fields included). */
export function rollupStreamEvent(shardId: string, records: readonly StreamedRecord[]): RollupStreamEvent {
  const arn = 'arn:aws:dynamodb:local:000000000000:table/lookout-request-log/stream/2026-12-01T00:00:00.000';
  return {
    shardId,
    eventSourceARN: arn,
    window: { start: '2026-12-01T10:00:00Z', end: '2026-12-01T10:15:00Z' },
    state: {},
    isFinalInvokeForWindow: false,
    isWindowTerminatedEarly: false,
    Records: records.map(({ sequenceNumber, record }) => ({
      eventID: `event-${sequenceNumber}`,
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'local',
      eventSourceARN: arn,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(record.createdAtMs / 1000),
        Keys: marshall({ id: record.id }) as never,
        NewImage: lambdaJson(marshall(requestLogItem(record, 30), { removeUndefinedValues: true })),
        SequenceNumber: sequenceNumber,
        SizeBytes: 500,
        StreamViewType: 'NEW_IMAGE',
      },
    })),
  };
}

/** The SDK's attribute values with binary as base64, the way Lambda's JSON event carries them. */
function lambdaJson(value: unknown): never {
  return JSON.parse(JSON.stringify(value, (_key, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v))) as never;
}
