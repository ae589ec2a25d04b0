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
  /** The local SES server's endpoint (aws-ses-v2-local); unset in AWS. */
  sesEndpoint: 'LOOKOUT_SES_ENDPOINT',
  /** A local stand-in for SNS (tests: a loopback capture, as there is no SNS emulator); unset in AWS. */
  snsEndpoint: 'LOOKOUT_SNS_ENDPOINT',
  /** The alert rules made through `/v1/alerts`, and every rule's evaluation state. */
  alertsTable: 'LOOKOUT_ALERTS_TABLE',
  /** How often the alert evaluator runs, in seconds (in AWS, the period of its EventBridge schedule). */
  alertIntervalSeconds: 'LOOKOUT_ALERT_INTERVAL_SECONDS',
  /** The alerts SNS topic's ARN; unset, rules with `sns: true` have no topic to publish to. */
  alertTopicArn: 'LOOKOUT_ALERT_TOPIC_ARN',
  /** The SES verified identity alert e-mails are sent from (`alerts@example.com` or `Lookout <alerts@example.com>`); unset, no e-mail. */
  alertEmailFrom: 'LOOKOUT_ALERT_EMAIL_FROM',
  /** The default Slack webhook's URL under `npm start` (in AWS the URL is a secret: `LOOKOUT_SLACK_WEBHOOK_SECRET`). */
  slackWebhookUrl: 'LOOKOUT_SLACK_WEBHOOK_URL',
  /** In AWS: the name or ARN of the Secrets Manager secret holding the default Slack webhook's URL. */
  slackWebhookSecret: 'LOOKOUT_SLACK_WEBHOOK_SECRET',
  /**
   * The key rule webhooks are signed with (`Lookout-Signature`). In AWS: the name or ARN of the
   * Secrets Manager secret holding it; under `npm start`, which has no Secrets Manager, the key itself.
   */
  webhookSigningSecret: 'LOOKOUT_WEBHOOK_SIGNING_SECRET',
  /**
   * The built dashboard (`dashboard/build-dashboard.ts`'s output: `index.html`, `assets/`) the query
   * API serves at `/dashboard`; unset, those routes answer 503.
   */
  dashboardDir: 'LOOKOUT_DASHBOARD_DIR',
  /**
   * `emf`: the gateway writes its CloudWatch EMF line per request to stdout, `off`: it does not.
   * Unset: `emf` in Lambda, `off` elsewhere (the bench sets `emf`, to measure what Lambda runs).
   */
  gatewayMetrics: 'LOOKOUT_GATEWAY_METRICS',
  /** Where the deployment's dashboard and API are reached, for the links in notifications. */
  publicUrl: 'LOOKOUT_PUBLIC_URL',
} as const;

export type EnvironmentVariableName = (typeof EnvironmentVariable)[keyof typeof EnvironmentVariable];

/**
 * The variable that overrides a configured provider's base URL, so a local run can aim it at a
 * mock: `openai` → `LOOKOUT_OPENAI_BASE_URL`, `corp-openai` → `LOOKOUT_CORP_OPENAI_BASE_URL`.
 */
export function providerBaseUrlVariable(providerName: string): string {
  return `LOOKOUT_${providerName.toUpperCase().replaceAll('-', '_')}_BASE_URL`;
}
