import { parseArgs } from 'node:util';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadLookoutConfig, runtimeConfigFrom } from '../../lib/config.js';
import { requestLogAdaptersFromEnv } from '../adapters/request-log-adapters.js';
import { RequestLogRecorder } from '../app/request-log-recorder.js';
import { localDataDir, runningStackEnvironment } from './local-data-dir.js';

const USAGE = `Usage:
  npm run logs:replay                      replay the local stack's spool (LOOKOUT_DATA_DIR)
  npm run logs:replay -- --queue-url URL --table REQUEST_LOG_TABLE --bucket BODIES_BUCKET
                                           replay a deployment's dead-letter queue (AWS credentials
                                           and region from the environment)`;

/**
 * `npm run logs:replay`: writes every dead-lettered request log to the table and removes it from
 * the dead-letter path. Idempotent: a request id already in the table is not stored again.
 */
async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'queue-url': { type: 'string' }, table: { type: 'string' }, bucket: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) return console.log(USAGE);
  const env = values['queue-url']
    ? deploymentEnvironment(values['queue-url'], values.table, values.bucket, JSON.stringify(runtimeConfigFrom(await loadLookoutConfig())))
    : runningStackEnvironment(localDataDir());
  const adapters = requestLogAdaptersFromEnv(env);
  const recorder = new RequestLogRecorder({ ...adapters, retryDelaysMs: [200, 1_000], logger: new Logger({ serviceName: 'lookout-replay' }), now: Date.now });
  const summary = await recorder.replay(adapters.deadLetters);
  console.log(`Replayed dead letters: ${summary.stored} stored, ${summary.alreadyStored} already stored, ${summary.failed} failed (kept for the next replay).`);
  if (summary.failed > 0) process.exitCode = 1;
}

function deploymentEnvironment(queueUrl: string, table: string | undefined, bucket: string | undefined, runtimeConfig: string): Record<string, string | undefined> {
  if (!table || !bucket) throw new Error(`--table and --bucket are required with --queue-url.\n${USAGE}`);
  return { ...process.env, LOOKOUT_DEAD_LETTER_QUEUE_URL: queueUrl, LOOKOUT_REQUEST_LOG_TABLE: table, LOOKOUT_BODIES_BUCKET: bucket, LOOKOUT_RUNTIME_CONFIG: runtimeConfig };
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
