import { parseRuntimeConfig, requireEnv } from '../core/runtime-config.js';
import { createDocumentClient } from './dynamodb/document-client.js';
import { RequestLogWriter } from './dynamodb/request-log-writer.js';
import { BodyBucket } from './s3/body-bucket.js';
import { DeadLetterSpool } from './spool/dead-letter-spool.js';
import { SqsDeadLetterQueue } from './sqs/dead-letter-queue.js';

/**
 * The storage behind the request log, chosen by the environment the CDK stack or `npm start`
 * sets: the table, the bodies bucket, and the dead-letter path (SQS in AWS, a spool directory
 * locally).
 */
export function requestLogAdaptersFromEnv(env: Readonly<Record<string, string | undefined>>) {
  const config = parseRuntimeConfig(env);
  const queueUrl = env.LOOKOUT_DEAD_LETTER_QUEUE_URL;
  return {
    store: new RequestLogWriter(createDocumentClient(env), requireEnv(env, 'LOOKOUT_REQUEST_LOG_TABLE'), config.retentionDays),
    bodies: new BodyBucket(env, requireEnv(env, 'LOOKOUT_BODIES_BUCKET')),
    deadLetters: queueUrl ? new SqsDeadLetterQueue(queueUrl) : new DeadLetterSpool(requireEnv(env, 'LOOKOUT_DEAD_LETTER_DIR')),
    inlineBodyMaxBytes: config.inlineBodyMaxBytes,
  };
}
