import { Logger } from '@aws-lambda-powertools/logger';
import { AlertTable } from '../adapters/dynamodb/alert-table.js';
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

/** How long the rules made through the API are trusted before they are read again for the properties they index. */
const API_RULES_REFRESH_MS = 60_000;

/**
 * The aggregator for the properties indexed now: the config's and every alert rule's, those made
 * through the API included (read from the alerts table at most once a minute), so a new rule's
 * property is counted from about a minute after it is made.
 */
function aggregatorsFromEnv(env: Env): () => Promise<StreamAggregator> {
  const config = parseRuntimeConfig(env);
  const documents = createDocumentClient(env);
  const store = new RollupTable(documents, requireEnv(env, EnvironmentVariable.rollupsTable), config.rollupRetentionDays);
  const alertsTable = env[EnvironmentVariable.alertsTable];
  const alerts = alertsTable ? new AlertTable(documents, alertsTable) : null;
  let current: { aggregator: StreamAggregator; properties: string; readAtMs: number } | undefined;
  return async () => {
    if (current && Date.now() - current.readAtMs < API_RULES_REFRESH_MS) return current.aggregator;
    const indexed = indexedPropertiesOf(config, alerts ? await alerts.list() : []);
    const properties = indexed.join('\n');
    if (current?.properties !== properties) {
      const aggregator = new StreamAggregator({
        store,
        indexedProperties: indexed,
        maxValuesPerDay: config.rollupMaxValuesPerDay,
        limits: ROLLUP_CHUNK_LIMITS,
        logger,
      });
      current = { aggregator, properties, readAtMs: Date.now() };
    } else {
      current.readAtMs = Date.now();
    }
    return current.aggregator;
  };
}

/**
 * The aggregator Lambda on the request log's stream (and, under `npm start`, behind the local
 * stream poller): adds each new request to the rollups, exactly once per shard. A write that
 * fails reports the first record not applied, so Lambda retries from there; an item that is not
 * a request log record cannot be counted and is logged, never retried forever.
 */
export function createRollupAggregatorHandler(env: Env) {
  let aggregators: (() => Promise<StreamAggregator>) | undefined;
  return async (event: RollupStreamEvent): Promise<RollupStreamResponse> => {
    aggregators ??= aggregatorsFromEnv(env);
    const aggregator = await aggregators();
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
