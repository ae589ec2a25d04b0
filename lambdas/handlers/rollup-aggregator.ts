import { Logger } from '@aws-lambda-powertools/logger';
import { createDocumentClient } from '../adapters/dynamodb/document-client.js';
import { ROLLUP_CHUNK_LIMITS, RollupTable } from '../adapters/dynamodb/rollup-table.js';
import { rollupSampleFromImage } from '../adapters/dynamodb/stream-record-image.js';
import { StreamAggregator, type StreamedSample } from '../app/rollups/stream-aggregator.js';
import { indexedPropertiesOf } from '../contract/alert-rule.js';
import { EnvironmentVariable } from '../contract/environment-variables.js';
import { parseRuntimeConfig, requireEnv } from '../core/runtime-config.js';
import type { RollupStreamEvent, RollupStreamResponse } from './rollup-stream-event.js';

type Env = Readonly<Record<string, string | undefined>>;

const logger = new Logger({ serviceName: 'lookout-rollup-aggregator' });

function aggregatorFromEnv(env: Env): StreamAggregator {
  const config = parseRuntimeConfig(env);
  return new StreamAggregator({
    store: new RollupTable(createDocumentClient(env), requireEnv(env, EnvironmentVariable.rollupsTable), config.rollupRetentionDays),
    indexedProperties: indexedPropertiesOf(config),
    maxValuesPerDay: config.rollupMaxValuesPerDay,
    limits: ROLLUP_CHUNK_LIMITS,
    logger,
  });
}

/**
 * The aggregator Lambda on the request log's stream (and, under `npm start`, behind the local
 * stream poller): adds each new request to the rollups, exactly once per shard. A write that
 * fails reports the first record not applied, so Lambda retries from there; an item that is not
 * a request log record cannot be counted and is logged, never retried forever.
 */
export function createRollupAggregatorHandler(env: Env) {
  let aggregator: StreamAggregator | undefined;
  return async (event: RollupStreamEvent): Promise<RollupStreamResponse> => {
    aggregator ??= aggregatorFromEnv(env);
    const batch: StreamedSample[] = [];
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      if (record.eventName !== 'INSERT' || !image || !sequenceNumber) continue;
      try {
        batch.push({ sequenceNumber, sample: rollupSampleFromImage(image) });
      } catch (error) {
        logger.error('rollups: a stream record is not a request log item and is not counted', {
          sequenceNumber,
          error: (error as Error).message,
        });
      }
    }
    if (batch.length > 0 && !event.shardId) {
      throw new Error('the stream event has no shardId: the event source mapping needs its tumbling window');
    }
    const failedFrom = await aggregator.applyBatch(event.shardId, batch);
    return { state: {}, batchItemFailures: failedFrom === null ? [] : [{ itemIdentifier: failedFrom }] };
  };
}

export const handler = createRollupAggregatorHandler(process.env);
