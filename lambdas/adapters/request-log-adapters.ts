import type { RuntimeConfig } from '../contract/runtime-config-schema.js';
import { dynamoDbJsonClientFromEnv, type DynamoDbJsonClient } from './dynamodb/dynamodb-json-client.js';
import { requestLogStorageFromEnv } from './request-log-storage.js';
import { BodyBucket } from './s3/body-bucket.js';
import { SINGLE_ATTEMPT } from './sdk-retry-options.js';
import { SqsDeadLetterQueue } from './sqs/dead-letter-queue.js';

/**
 * The request log's storage (`request-log-storage.ts`) with the SDK's S3 and SQS clients, for
 * the replay CLI, which reads the dead-letter queue as well as writing. The gateway builds its
 * own with lean write-only adapters, so that these SDK clients stay out of its bundle. The table
 * is written through the lean DynamoDB client, which makes one attempt per call, as the recorder
 * retries every write itself (`SINGLE_ATTEMPT`).
 */
export function requestLogAdaptersFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  { config, dynamoDb = dynamoDbJsonClientFromEnv(env, SINGLE_ATTEMPT) }: { config?: RuntimeConfig; dynamoDb?: DynamoDbJsonClient } = {},
) {
  return requestLogStorageFromEnv(env, {
    ...(config && { config }),
    dynamoDb,
    bodies: (bucketName) => new BodyBucket(env, bucketName, SINGLE_ATTEMPT),
    deadLetterQueue: (queueUrl) => new SqsDeadLetterQueue(queueUrl),
  });
}
