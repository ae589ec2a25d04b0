import { EnvironmentVariable } from '../contract/environment-variables.js';
import type { RuntimeConfig } from '../contract/runtime-config-schema.js';
import { parseRuntimeConfig, requireEnv } from '../core/runtime-config.js';
import { dynamoDbJsonClientFromEnv, type DynamoDbJsonClient } from './dynamodb/dynamodb-json-client.js';
import { RequestLogWriter } from './dynamodb/request-log-writer.js';
import { BodyBucket } from './s3/body-bucket.js';
import { SINGLE_ATTEMPT } from './sdk-retry-options.js';
import { DeadLetterSpool } from './spool/dead-letter-spool.js';
import { SqsDeadLetterQueue } from './sqs/dead-letter-queue.js';

/**
 * The storage behind the request log, chosen by the environment the CDK stack or `npm start`
 * sets: the table, the bodies bucket, and the dead-letter path (SQS in AWS, a spool directory
 * locally). A function that already parsed its config passes it in, so it parses it once. The
 * table is written through the lean DynamoDB client, which makes one attempt per call, as the
 * recorder retries every write itself (`SINGLE_ATTEMPT`); it signs with the credentials in the
 * environment (Lambda's, or ones exported for `npm run logs:replay`).
 */
export function requestLogAdaptersFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  {
    config = parseRuntimeConfig(env),
    dynamoDb = dynamoDbJsonClientFromEnv(env, SINGLE_ATTEMPT),
  }: { config?: RuntimeConfig; dynamoDb?: DynamoDbJsonClient } = {},
) {
  const queueUrl = env[EnvironmentVariable.deadLetterQueueUrl];
  return {
    store: new RequestLogWriter(dynamoDb, requireEnv(env, EnvironmentVariable.requestLogTable), config.retentionDays),
    bodies: new BodyBucket(env, requireEnv(env, EnvironmentVariable.bodiesBucket), SINGLE_ATTEMPT),
    deadLetters: queueUrl ? new SqsDeadLetterQueue(queueUrl) : new DeadLetterSpool(requireEnv(env, EnvironmentVariable.deadLetterDir)),
    inlineBodyMaxBytes: config.inlineBodyMaxBytes,
  };
}
