import type { RollupWriter } from '../../core/ports/rollup-store.js';
import { LAST_PART, planChunks, streamPosition, type ChunkLimits, type SequencedSample } from '../../core/rollups/rollup-chunks.js';
import { rollupDimensions } from '../../core/rollups/rollup-dimensions.js';
import type { RollupSample } from '../../core/rollups/rollup-sample.js';
import { DimensionFolding, type FoldingLogger } from './dimension-folding.js';

export interface AggregatorLogger extends FoldingLogger {
  error(message: string, extra: Record<string, unknown>): void;
}

/** A request from the log's stream, with its place in the shard. */
export interface StreamedSample {
  sequenceNumber: string;
  sample: RollupSample;
}

export interface StreamAggregatorOptions {
  store: RollupWriter;
  indexedProperties: readonly string[];
  maxValuesPerDay: number;
  limits: ChunkLimits;
  logger: AggregatorLogger;
}

/** A checkpoint moved by someone else more often than this in one batch is a fault, not a race. */
const MAX_CHECKPOINT_CONFLICTS = 3;

/**
 * Adds the request log's stream to the rollups exactly once, though Lambda delivers a shard's
 * records at least once: a whole batch again after a timeout, halves of it after bisecting, or
 * the rest of it after a reported failure.
 *
 * How: each shard has a checkpoint item, the stream position (sequence number and part) up to
 * which its records are in the rollups. Every write is one transaction holding a chunk's bucket
 * `ADD`s and the checkpoint's move from the position read to the chunk's end, on the condition
 * that the checkpoint still is the position read. A redelivered record is at or before the
 * checkpoint and is skipped; a write that raced another delivery of the same records fails
 * whole and is planned again from the new checkpoint. The checkpoint costs one item per chunk
 * (up to ~100 bucket updates), not a marker per request, and buckets from different shards
 * still take concurrent writes, as `ADD`s commute.
 */
export class StreamAggregator {
  private readonly folding: DimensionFolding;

  constructor(private readonly options: StreamAggregatorOptions) {
    this.folding = new DimensionFolding(
      options.store,
      rollupDimensions(options.indexedProperties),
      options.maxValuesPerDay,
      options.logger,
    );
  }

  /**
   * Applies a batch of one shard, in its order. Returns the sequence number of the first record
   * not wholly applied when a write failed (the caller reports it, so Lambda retries from there),
   * or null when all of it is in.
   */
  async applyBatch(shardId: string, batch: readonly StreamedSample[]): Promise<string | null> {
    if (batch.length === 0) return null;
    let checkpoint = await this.options.store.readCheckpoint(shardId);
    const values = await this.folding.foldedValues(batch.map((record) => record.sample));
    const records: SequencedSample[] = batch.map((record, index) => ({ ...record, values: values[index]! }));
    let conflicts = 0;
    for (;;) {
      const chunks = planChunks(records, checkpoint, this.options.limits);
      let conflicted = false;
      for (const chunk of chunks) {
        let applied: boolean;
        try {
          applied = await this.options.store.applyChunk(shardId, checkpoint, chunk.lastPosition, chunk.deltas);
        } catch (error) {
          this.options.logger.error('rollups: a write failed; the batch is retried from its first record not applied', {
            shardId,
            error: (error as Error)?.stack ?? String(error),
          });
          return firstUnapplied(records, checkpoint);
        }
        if (!applied) {
          conflicted = true;
          break;
        }
        checkpoint = chunk.lastPosition;
      }
      if (!conflicted) return null;
      if (++conflicts > MAX_CHECKPOINT_CONFLICTS) return firstUnapplied(records, checkpoint);
      checkpoint = await this.options.store.readCheckpoint(shardId);
    }
  }
}

/** The first record with a part after the checkpoint: where a retry must start. */
function firstUnapplied(records: readonly SequencedSample[], checkpoint: string | null): string {
  const record = records.find((r) => checkpoint === null || streamPosition(r.sequenceNumber, LAST_PART) > checkpoint);
  return (record ?? records.at(-1)!).sequenceNumber;
}
