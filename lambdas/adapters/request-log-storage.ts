import { EnvironmentVariable } from '../contract/environment-variables.js';
import type { RuntimeConfig } from '../contract/runtime-config-schema.js';
import type { BodyStore } from '../core/ports/body-store.js';
import type { DeadLetterSink } from '../core/ports/dead-letter-sink.js';
import { parseRuntimeConfig, requireEnv } from '../core/runtime-config.js';
import type { DynamoDbJsonClient } from './dynamodb/dynamodb-json-client.js';
import { RequestLogWriter } from './dynamodb/request-log-writer.js';
import { DeadLetterSpool } from './spool/dead-letter-spool.js';

/** How the caller reaches the bodies bucket and the dead-letter queue: the gateway only writes, the replay CLI also reads. */
export interface RequestLogStorageChoices<Bodies extends BodyStore, Queue extends DeadLetterSink> {
  config?: RuntimeConfig;
  dynamoDb: DynamoDbJsonClient;
  /** The adapter of the bodies bucket with this name. */
  bodies: (bucketName: string) => Bodies;
  /** The adapter of the dead-letter queue at this URL, when the environment names one (in AWS). */
  deadLetterQueue: (queueUrl: string) => Queue;
}

/**
 * The storage behind the request log, chosen by the environment the CDK stack or `npm start`
 * sets: the table, the bodies bucket, and the dead-letter path (the queue in AWS, a spool
 * directory locally). It imports no AWS SDK client: the caller says which adapters reach S3 and
 * SQS, so that the gateway's bundle holds only its lean writers (`gatewayAdaptersFromEnv`) and
 * the replay CLI can use the SDK ones (`request-log-adapters.ts`).
 */
export function requestLogStorageFromEnv<Bodies extends BodyStore, Queue extends DeadLetterSink>(
  env: Readonly<Record<string, string | undefined>>,
  { config = parseRuntimeConfig(env), dynamoDb, bodies, deadLetterQueue }: RequestLogStorageChoices<Bodies, Queue>,
) {
  const queueUrl = env[EnvironmentVariable.deadLetterQueueUrl];
  return {
    store: new RequestLogWriter(dynamoDb, requireEnv(env, EnvironmentVariable.requestLogTable), config.retentionDays),
    bodies: bodies(requireEnv(env, EnvironmentVariable.bodiesBucket)),
    deadLetters: queueUrl ? deadLetterQueue(queueUrl) : new DeadLetterSpool(requireEnv(env, EnvironmentVariable.deadLetterDir)),
    inlineBodyMaxBytes: config.inlineBodyMaxBytes,
  };
}
