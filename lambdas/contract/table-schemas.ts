/**
 * The key schemas of Lookout's DynamoDB tables as plain data (no aws-cdk-lib), so the CDK
 * constructs, the local runtime's CreateTable calls and the adapters' queries are built from one
 * definition.
 */

export type KeyAttributeType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyAttributeType;
}

/** The keys of a global secondary index; every Lookout index projects all attributes. */
export interface IndexKeys {
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
}

export interface GlobalIndexSchema extends IndexKeys {
  readonly indexName: string;
}

export interface TableSchema {
  readonly partitionKey: KeyAttribute;
  /** The table's sort key, if it has one. */
  readonly sortKey?: KeyAttribute;
  readonly globalIndexes: readonly GlobalIndexSchema[];
  /** The epoch-seconds attribute DynamoDB expires items by, if any. */
  readonly timeToLiveAttribute?: string;
  /** Whether the table streams each new item (the request log feeds the aggregator). */
  readonly streamsNewImages: boolean;
}

export const keysTableSchema: TableSchema = {
  partitionKey: { name: 'keyHash', type: 'S' },
  globalIndexes: [],
  streamsNewImages: false,
};

/** The sort key of every request-log index: a partition's requests are read newest first. */
export const requestLogIndexSortKey = { name: 'createdAtMs', type: 'N' } as const satisfies KeyAttribute;

/** The request log's indexes by name: requests of a day, of a user and of a session. */
export const requestLogIndexes = {
  byDay: { partitionKey: { name: 'day', type: 'S' }, sortKey: requestLogIndexSortKey },
  byUser: { partitionKey: { name: 'userId', type: 'S' }, sortKey: requestLogIndexSortKey },
  bySession: { partitionKey: { name: 'sessionId', type: 'S' }, sortKey: requestLogIndexSortKey },
} as const satisfies Record<string, IndexKeys>;

export type RequestLogIndexName = keyof typeof requestLogIndexes;

export const requestLogTableSchema: TableSchema = {
  partitionKey: { name: 'id', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  streamsNewImages: true,
  globalIndexes: Object.entries(requestLogIndexes).map(([indexName, keys]) => ({ indexName, ...keys })),
};

/**
 * The response cache on DynamoDB (`cacheBackend: 'dynamodb'`): one item per bucket slot, keyed by
 * `<scoped bucket key>:<slot>`. DynamoDB deletes expired items lazily (within days), so readers
 * check `expiresAt` themselves.
 */
export const responseCacheTableSchema: TableSchema = {
  partitionKey: { name: 'cacheKey', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  streamsNewImages: false,
  globalIndexes: [],
};

/** The quotas made through `/v1/quotas`, by id. */
export const quotasTableSchema: TableSchema = {
  partitionKey: { name: 'id', type: 'S' },
  streamsNewImages: false,
  globalIndexes: [],
};

/**
 * The quota counters on DynamoDB: one item per counter (`counterKey`), holding its live
 * sub-windows and a version for conditional writes; `expiresAt` drops a counter idle for longer
 * than its window.
 */
export const quotaCountersTableSchema: TableSchema = {
  partitionKey: { name: 'counterKey', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  streamsNewImages: false,
  globalIndexes: [],
};

/**
 * The usage rollups the request log's stream feeds (`adapters/dynamodb/rollup-table.ts` says what
 * each key holds): bucket items by `<resolution>|<dimensions>|<bucket start>` and dimension values,
 * the aggregator's per-shard checkpoints, and the cardinality guard's admitted values per day.
 * Buckets expire by resolution (`rollupRetentionDays`).
 */
export const rollupsTableSchema: TableSchema = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  streamsNewImages: false,
  globalIndexes: [],
};

/**
 * The alerts: the rules made through `/v1/alerts`, each rule's state per group (written with
 * conditional updates, so two evaluator runs never notify twice), and its history of transitions
 * and deliveries (expired by `expiresAt`).
 */
export const alertsTableSchema: TableSchema = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  streamsNewImages: false,
  globalIndexes: [],
};
