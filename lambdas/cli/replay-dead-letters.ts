import { parseArgs } from 'node:util';
import { Logger } from '@aws-lambda-powertools/logger';
import { sdkDefaultSigning } from '../adapters/aws-http/sdk-default-signing.js';
import { dynamoDbJsonClientFromEnv } from '../adapters/dynamodb/dynamodb-json-client.js';
import { requestLogAdaptersFromEnv } from '../adapters/request-log-adapters.js';
import { SINGLE_ATTEMPT } from '../adapters/sdk-retry-options.js';
import { RequestLogRecorder } from '../app/request-log-recorder.js';
import { EnvironmentVariable } from '../contract/environment-variables.js';
import { runtimeConfigFrom } from '../contract/lookout-config.js';
import { loadLookoutConfig } from '../contract/lookout-config-file.js';
import { localDataDir, runningStackEnvironment } from '../local/local-data-dir.js';
import { runCli, UsageError } from './run-cli.js';

const DEPLOYMENT_FLAGS = '--queue-url, --table and --bucket';

const USAGE = `Usage:
  npm run logs:replay                      replay the spool of the local stack that \`npm start\` runs
                                           under ${localDataDir()} (LOOKOUT_DATA_DIR, same default)
  npm run logs:replay -- --queue-url URL --table REQUEST_LOG_TABLE --bucket BODIES_BUCKET
                                           replay a deployment's dead-letter queue (AWS credentials
                                           and region as the AWS CLI finds them: environment,
                                           profile, SSO)`;

/**
 * `npm run logs:replay`: writes every dead-lettered request log to the table and removes it from
 * the dead-letter path. Idempotent: a request id already in the table is not stored again.
 */
async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { 'queue-url': { type: 'string' }, table: { type: 'string' }, bucket: { type: 'string' } },
  });
  const deployment = values['queue-url'];
  const env = deployment
    ? deploymentEnvironment(deployment, values.table, values.bucket, JSON.stringify(runtimeConfigFrom(await loadLookoutConfig())))
    : await localEnvironment(values.table, values.bucket);
  // The SQS and S3 clients find the operator's credentials through the SDK; the table's lean client is told them.
  const dynamoDb = dynamoDbJsonClientFromEnv(env, SINGLE_ATTEMPT, deployment ? await sdkDefaultSigning() : undefined);
  const adapters = requestLogAdaptersFromEnv(env, { dynamoDb });
  const recorder = new RequestLogRecorder({
    ...adapters,
    retryDelaysMs: [200, 1_000],
    logger: new Logger({ serviceName: 'lookout-replay' }),
    now: Date.now,
  });
  const summary = await recorder.replay(adapters.deadLetters);
  console.log(
    `Replayed dead letters: ${summary.stored} stored, ${summary.alreadyStored} already stored, ${summary.failed} failed (kept for the next replay).`,
  );
  if (summary.failed > 0) process.exitCode = 1;
}

function deploymentEnvironment(
  queueUrl: string,
  table: string | undefined,
  bucket: string | undefined,
  runtimeConfig: string,
): Record<string, string | undefined> {
  if (!table || !bucket) throw new UsageError(`${DEPLOYMENT_FLAGS} go together; --table or --bucket is missing.`);
  return {
    ...process.env,
    [EnvironmentVariable.deadLetterQueueUrl]: queueUrl,
    [EnvironmentVariable.requestLogTable]: table,
    [EnvironmentVariable.bodiesBucket]: bucket,
    [EnvironmentVariable.runtimeConfig]: runtimeConfig,
  };
}

function localEnvironment(table: string | undefined, bucket: string | undefined): Promise<Record<string, string>> {
  // Without the queue these would be ignored and the local spool replayed instead: refuse them.
  if (table || bucket) throw new UsageError(`${DEPLOYMENT_FLAGS} go together; --queue-url is missing.`);
  return runningStackEnvironment(localDataDir(), DEPLOYMENT_FLAGS);
}

runCli(USAGE, main);
