import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from 'aws-lambda';
import { rollupSampleSchema, type RollupSample } from '../../core/rollups/rollup-sample.js';
import { describeRecordIssues } from '../../core/request-log/request-log-record-schema.js';

/** Attributes of a request-log item the rollups read (the rebuild's projection); bodies are never read. */
export const ROLLUP_SAMPLE_ATTRIBUTES: readonly string[] = Object.keys(rollupSampleSchema.shape);

/**
 * The rollup fields of a request-log item: from a stream record's `NewImage` (Lambda's JSON
 * attribute values) or from an item read back with the document client.
 */
export function rollupSampleFromImage(image: Record<string, AttributeValue>): RollupSample {
  // Bodies arrive base64-encoded in a Lambda event, which unmarshall would mistake for a string; they are left out.
  const { requestBody: _request, responseBody: _response, ...rest } = image;
  return rollupSampleFromItem(unmarshall(rest as Parameters<typeof unmarshall>[0]));
}

export function rollupSampleFromItem(item: Record<string, unknown>): RollupSample {
  const parsed = rollupSampleSchema.safeParse(item);
  if (parsed.success) return parsed.data;
  const id = typeof item.id === 'string' ? `"${item.id}"` : '(without an id)';
  throw new Error(`request-log item ${id} is not a request log record: ${describeRecordIssues(parsed.error.issues)}`);
}
