/**
 * The environment variables the Lambdas read, by what they hold. The CDK functions
 * (lib/constructs) and the local stack (lambdas/local) set them, the handlers and adapters read
 * them, so a name is written here once.
 */
export const EnvironmentVariable = {
  /** The gateway keys table. */
  keysTable: 'LOOKOUT_KEYS_TABLE',
  /** The request-log table. */
  requestLogTable: 'LOOKOUT_REQUEST_LOG_TABLE',
  /** The bucket of request and response bodies too large for a log item. */
  bodiesBucket: 'LOOKOUT_BODIES_BUCKET',
  /** The SQS queue of request logs that could not be written (in AWS). */
  deadLetterQueueUrl: 'LOOKOUT_DEAD_LETTER_QUEUE_URL',
  /** The spool directory of request logs that could not be written (locally, instead of the queue). */
  deadLetterDir: 'LOOKOUT_DEAD_LETTER_DIR',
  /** The response cache's DynamoDB table (`cacheBackend: 'dynamodb'`). */
  cacheTable: 'LOOKOUT_CACHE_TABLE',
  /**
   * The response cache's Redis / Valkey server, `redis://host:port` or `rediss://` for TLS; when
   * set, it is the cache instead of the table (locally: `LOOKOUT_REDIS_URL=redis://127.0.0.1:6379`).
   */
  redisUrl: 'LOOKOUT_REDIS_URL',
  /** `true` when the Redis URL is a cluster-mode endpoint (ElastiCache Serverless always is). */
  redisCluster: 'LOOKOUT_REDIS_CLUSTER',
  /** The quotas made through `/v1/quotas` (config quotas are in the runtime config). */
  quotasTable: 'LOOKOUT_QUOTAS_TABLE',
  /**
   * The quota counters' DynamoDB table; unused when `LOOKOUT_REDIS_URL` is set, since the counters
   * then live in Redis / Valkey beside the response cache.
   */
  quotaCountersTable: 'LOOKOUT_QUOTA_COUNTERS_TABLE',
  /** The usage rollups table the aggregator writes and `/v1/metrics` reads. */
  rollupsTable: 'LOOKOUT_ROLLUPS_TABLE',
  /** The runtime part of `lookout.config.ts`, as JSON (runtime-config-schema.ts). */
  runtimeConfig: 'LOOKOUT_RUNTIME_CONFIG',
  /** DynamoDB Local's endpoint; unset in AWS. */
  dynamodbEndpoint: 'LOOKOUT_DYNAMODB_ENDPOINT',
  /** The local S3 server's endpoint; unset in AWS. */
  s3Endpoint: 'LOOKOUT_S3_ENDPOINT',
} as const;

export type EnvironmentVariableName = (typeof EnvironmentVariable)[keyof typeof EnvironmentVariable];

/**
 * The variable that overrides a configured provider's base URL, so a local run can aim it at a
 * mock: `openai` → `LOOKOUT_OPENAI_BASE_URL`, `corp-openai` → `LOOKOUT_CORP_OPENAI_BASE_URL`.
 */
export function providerBaseUrlVariable(providerName: string): string {
  return `LOOKOUT_${providerName.toUpperCase().replaceAll('-', '_')}_BASE_URL`;
}
