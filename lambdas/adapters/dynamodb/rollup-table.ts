import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { RollupReader, RollupReplacer, RollupWriter, SeriesBucket } from '../../core/ports/rollup-store.js';
import { ROLLUP_COUNT_FIELDS, type RollupBucket } from '../../core/rollups/rollup-bucket.js';
import type { BucketAddress, BucketDelta, ChunkLimits } from '../../core/rollups/rollup-chunks.js';
import type { Dimension } from '../../core/rollups/rollup-dimensions.js';
import { bucketExpiresAtMs, RESOLUTION_MS, type BucketTime, type RollupRetentionDays } from '../../core/rollups/rollup-resolution.js';
import {
  bucketFromItem,
  bucketItem,
  bucketKey,
  bucketPartition,
  LATENCY_BIN_PREFIX,
  seriesFromItem,
  TTFT_BIN_PREFIX,
  valueAttributes,
  valuesPrefix,
  type ItemKey,
} from './rollup-item.js';

/**
 * What one transaction may hold: DynamoDB takes 100 actions (one is the checkpoint), and an
 * update expression is at most 4 KB, which about 150 bin additions and the counts fill.
 */
export const ROLLUP_CHUNK_LIMITS: ChunkLimits = { maxBuckets: 99, maxBinsPerBucket: 150 };

const BATCH_GET_KEYS = 100;
const BATCH_WRITE_ITEMS = 25;
const ADMISSIONS_AT_ONCE = 8;

/**
 * A checkpoint must outlive every record of its shard, or a late redelivery would count them
 * again: AWS keeps stream records 24 hours, and a laptop's DynamoDB Local keeps its stream across
 * restarts of `npm start`, which reads it again from the start; a month covers both cheaply (a
 * shard closes every few hours, each leaving one small item). Admissions outlive the 14 days a
 * dead-lettered log can wait to be replayed, so a replayed request folds as its day's did.
 */
const CHECKPOINT_LIFETIME_MS = 30 * RESOLUTION_MS.day;
const ADMISSION_LIFETIME_MS = 15 * RESOLUTION_MS.day;

const CHECKPOINT_SORT_KEY = '-';

/** The rollups table (`rollupsTableSchema`): the aggregator's writes, the rebuild's, and the metrics' reads. */
export class RollupTable implements RollupWriter, RollupReplacer, RollupReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retention: RollupRetentionDays,
    private readonly now: () => number = Date.now,
  ) {}

  async readCheckpoint(shardId: string): Promise<string | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: checkpointKey(shardId), ConsistentRead: true }),
    );
    return typeof Item?.position === 'string' ? Item.position : null;
  }

  async applyChunk(shardId: string, expected: string | null, next: string, deltas: readonly BucketDelta[]): Promise<boolean> {
    const checkpoint = {
      Update: {
        TableName: this.tableName,
        Key: checkpointKey(shardId),
        UpdateExpression: 'SET #position = :next, expiresAt = :expiresAt',
        ConditionExpression: expected === null ? 'attribute_not_exists(#position)' : '#position = :expected',
        ExpressionAttributeNames: { '#position': 'position' },
        ExpressionAttributeValues: {
          ':next': next,
          ':expiresAt': epochSeconds(this.now() + CHECKPOINT_LIFETIME_MS),
          ...(expected === null ? {} : { ':expected': expected }),
        },
      },
    };
    try {
      await this.client.send(
        new TransactWriteCommand({ TransactItems: [checkpoint, ...deltas.map((delta) => ({ Update: this.bucketUpdate(delta) }))] }),
      );
      return true;
    } catch (error) {
      if (cancelledByCondition(error, 0)) return false;
      throw error;
    }
  }

  async admitValues(dimension: Dimension, day: string, values: readonly string[], limit: number): Promise<Set<string>> {
    const partition = `values|${dimension}|${day}`;
    const known = await this.getItems(values.map((value) => ({ pk: partition, sk: value })));
    const admitted = new Set(known.map((item) => String(item.sk)));
    const fresh = values.filter((value) => !admitted.has(value));
    const expiresAt = epochSeconds(Date.parse(`${day}T00:00:00Z`) + RESOLUTION_MS.day + ADMISSION_LIFETIME_MS);
    for (let start = 0; start < fresh.length; start += ADMISSIONS_AT_ONCE) {
      const outcomes = await Promise.all(
        fresh
          .slice(start, start + ADMISSIONS_AT_ONCE)
          .map(async (value) => [value, await this.admit(partition, value, limit, expiresAt)] as const),
      );
      for (const [value, isAdmitted] of outcomes) if (isAdmitted) admitted.add(value);
    }
    return admitted;
  }

  async replaceBuckets(buckets: readonly BucketDelta[]): Promise<void> {
    const puts = buckets.map(({ address, bucket }) => ({
      PutRequest: { Item: bucketItem(address, bucket, epochSeconds(this.expiresAtMs(address.time))) },
    }));
    for (let start = 0; start < puts.length; start += BATCH_WRITE_ITEMS) {
      let pending = puts.slice(start, start + BATCH_WRITE_ITEMS);
      while (pending.length > 0) {
        const { UnprocessedItems } = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
      }
    }
  }

  async readBuckets(addresses: readonly BucketAddress[]): Promise<(RollupBucket | null)[]> {
    const keys = addresses.map(bucketKey);
    const items = new Map((await this.getItems(keys)).map((item) => [keyId(item as unknown as ItemKey), item]));
    return keys.map((key) => {
      const item = items.get(keyId(key));
      return item ? bucketFromItem(item) : null;
    });
  }

  async readGroup(
    time: BucketTime,
    dimensions: readonly Dimension[],
    fixed: ReadonlyMap<Dimension, string | null>,
  ): Promise<SeriesBucket[]> {
    // Filters on the leading dimensions are a key prefix; one on the second alone is tested on its
    // value attribute, which still reads the whole group (bounded by the cardinality guard).
    const leading: (string | null)[] = [];
    for (const dimension of dimensions) {
      if (!fixed.has(dimension)) break;
      leading.push(fixed.get(dimension)!);
    }
    const trailing = dimensions
      .map((dimension, index) => ({ dimension, index }))
      .filter(({ dimension, index }) => index >= leading.length && fixed.has(dimension));
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': bucketPartition(time, dimensions) };
    let keyCondition = 'pk = :pk';
    if (leading.length === dimensions.length) {
      keyCondition += ' AND sk = :sk';
      values[':sk'] = JSON.stringify(leading);
    } else if (leading.length > 0) {
      keyCondition += ' AND begins_with(sk, :prefix)';
      values[':prefix'] = valuesPrefix(leading);
    }
    const filters = trailing.map(({ dimension, index }) => {
      names[`#v${index}`] = `v${index}`;
      const value = fixed.get(dimension)!;
      if (value === null) return `attribute_type(#v${index}, :null)`;
      values[`:v${index}`] = value;
      return `#v${index} = :v${index}`;
    });
    if (filters.some((filter) => filter.startsWith('attribute_type'))) values[':null'] = 'NULL';
    const found: SeriesBucket[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: keyCondition,
          FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
          ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
          ExpressionAttributeValues: values,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) found.push({ series: seriesFromItem(item), bucket: bucketFromItem(item) });
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  private bucketUpdate({ address, bucket }: BucketDelta) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const additions: string[] = [];
    const add = (attribute: string, amount: number) => {
      if (amount === 0) return;
      const index = additions.length;
      names[`#a${index}`] = attribute;
      values[`:a${index}`] = amount;
      additions.push(`#a${index} :a${index}`);
    };
    for (const field of ROLLUP_COUNT_FIELDS) add(field, bucket.counts[field]);
    for (const [bin, count] of bucket.latency) add(`${LATENCY_BIN_PREFIX}${bin}`, count);
    for (const [bin, count] of bucket.ttft) add(`${TTFT_BIN_PREFIX}${bin}`, count);
    const sets = ['expiresAt = :expiresAt'];
    values[':expiresAt'] = epochSeconds(this.expiresAtMs(address.time));
    for (const [name, value] of Object.entries(valueAttributes(address.series))) {
      sets.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    }
    if (bucket.lastRequestAtMs !== null) {
      sets.push('lastAt = :lastAt');
      values[':lastAt'] = bucket.lastRequestAtMs;
    }
    return {
      TableName: this.tableName,
      Key: bucketKey(address),
      UpdateExpression: `ADD ${additions.join(', ')} SET ${sets.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  /** Admits one value unless its day is full: the count's condition and the value's put succeed or fail together. */
  private async admit(partition: string, value: string, limit: number, expiresAt: number): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: `${partition}|count`, sk: CHECKPOINT_SORT_KEY },
                UpdateExpression: 'ADD admitted :one SET expiresAt = :expiresAt',
                ConditionExpression: 'attribute_not_exists(admitted) OR admitted < :limit',
                ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiresAt': expiresAt },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: partition, sk: value, expiresAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      // Admitted meanwhile by another shard: it has its series. Otherwise the day is full.
      if (cancelledByCondition(error, 1)) return true;
      if (cancelledByCondition(error, 0)) return false;
      throw error;
    }
  }

  private expiresAtMs(time: BucketTime): number {
    return bucketExpiresAtMs(time.startMs, time.resolution, this.retention);
  }

  private async getItems(keys: readonly ItemKey[]): Promise<Record<string, unknown>[]> {
    const unique = [...new Map(keys.map((key) => [keyId(key), key])).values()];
    const items: Record<string, unknown>[] = [];
    for (let start = 0; start < unique.length; start += BATCH_GET_KEYS) {
      let pending: ItemKey[] = unique.slice(start, start + BATCH_GET_KEYS);
      while (pending.length > 0) {
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }),
        );
        items.push(...(Responses?.[this.tableName] ?? []));
        pending = (UnprocessedKeys?.[this.tableName]?.Keys ?? []) as ItemKey[];
      }
    }
    return items;
  }
}

function checkpointKey(shardId: string): ItemKey {
  return { pk: `checkpoint|${shardId}`, sk: CHECKPOINT_SORT_KEY };
}

function keyId(key: ItemKey): string {
  return `${key.pk}\n${key.sk}`;
}

function epochSeconds(epochMs: number): number {
  return Math.ceil(epochMs / 1000);
}

/** True when a transaction was cancelled because the condition of its `index`-th action failed. */
function cancelledByCondition(error: unknown, index: number): boolean {
  const reasons = (error as { name?: string; CancellationReasons?: { Code?: string }[] })?.CancellationReasons;
  return (error as Error)?.name === 'TransactionCanceledException' && reasons?.[index]?.Code === 'ConditionalCheckFailed';
}
