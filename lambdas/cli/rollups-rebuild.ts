import { parseArgs } from 'node:util';
import { Logger } from '@aws-lambda-powertools/logger';
import { createDocumentClient } from '../adapters/dynamodb/document-client.js';
import { RequestLogSamples } from '../adapters/dynamodb/request-log-samples.js';
import { RollupTable } from '../adapters/dynamodb/rollup-table.js';
import { RollupRebuild, type RebuildProgress } from '../app/rollups/rollup-rebuild.js';
import { EnvironmentVariable } from '../contract/environment-variables.js';
import { runtimeConfigFrom } from '../contract/lookout-config.js';
import { loadLookoutConfig } from '../contract/lookout-config-file.js';
import { parseRuntimeConfig, requireEnv } from '../core/runtime-config.js';
import { localDataDir, runningStackEnvironment } from '../local/local-data-dir.js';
import { runCli, UsageError } from './run-cli.js';

const DEPLOYMENT_FLAGS = '--request-log-table and --rollups-table';

const USAGE = `Usage:
  npm run rollups:rebuild -- --from DAY --to DAY
        rebuild the rollups of the local stack that \`npm start\` runs under ${localDataDir()}
  npm run rollups:rebuild -- --from DAY --to DAY --request-log-table TABLE --rollups-table TABLE
        rebuild a deployment's (the stack outputs name the tables; AWS credentials and region as
        the AWS CLI finds them; indexed properties from lookout.config.ts)

  DAY is a UTC date (2026-11-28) or any ISO-8601 time in it. Whole days from --from to --to are
  rebuilt from the request log, replacing their rollups; running it again changes nothing. Today
  cannot be rebuilt (the stream is still adding to it), nor a day the log no longer holds whole.`;

const PROGRESS_BAR_WIDTH = 30;

/** `npm run rollups:rebuild`: recomputes whole days of rollups from the request log. */
async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      'request-log-table': { type: 'string' },
      'rollups-table': { type: 'string' },
    },
  });
  if (!values.from || !values.to) throw new UsageError('--from and --to are required.');
  const env = await environment(values['request-log-table'], values['rollups-table']);
  const config = parseRuntimeConfig(env);
  const documents = createDocumentClient(env);
  const rebuild = new RollupRebuild({
    samples: new RequestLogSamples(documents, requireEnv(env, EnvironmentVariable.requestLogTable)),
    store: new RollupTable(documents, requireEnv(env, EnvironmentVariable.rollupsTable), config.rollupRetentionDays),
    indexedProperties: config.indexedProperties,
    maxValuesPerDay: config.rollupMaxValuesPerDay,
    retention: config.rollupRetentionDays,
    logRetentionDays: config.retentionDays,
    logger: new Logger({ serviceName: 'lookout-rollups-rebuild' }),
    now: Date.now,
  });
  let days: string[];
  try {
    days = rebuild.daysBetween(dayOf(values.from, '--from'), dayOf(values.to, '--to'));
  } catch (error) {
    throw new UsageError(`Cannot rebuild that range: ${(error as Error).message}.`);
  }
  const summary = await rebuild.rebuild(days, showProgress);
  if (process.stdout.isTTY) process.stdout.write('\n');
  console.log(
    `Rebuilt ${days.length} day(s) (${days[0]} to ${days.at(-1)}): ${summary.requests} requests, ${summary.buckets} buckets written.`,
  );
  documents.destroy();
}

function dayOf(value: string, flag: string): string {
  const epochMs = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (Number.isNaN(epochMs)) throw new UsageError(`${flag} must be a UTC date such as 2026-11-28 or an ISO-8601 time, got "${value}".`);
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** A bar redrawn in place on a terminal; a line per finished day otherwise (CI logs, pipes). */
function showProgress(progress: RebuildProgress): void {
  const filled = Math.round((progress.daysDone / progress.days) * PROGRESS_BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(PROGRESS_BAR_WIDTH - filled)}] ${progress.daysDone}/${progress.days} days, ${progress.requests} requests (${progress.day})`;
  if (process.stdout.isTTY) process.stdout.write(`\r${bar}`);
  else if (progress.dayFinished) console.log(bar);
}

async function environment(
  requestLogTable: string | undefined,
  rollupsTable: string | undefined,
): Promise<Record<string, string | undefined>> {
  if (requestLogTable || rollupsTable) {
    if (!requestLogTable || !rollupsTable) throw new UsageError(`${DEPLOYMENT_FLAGS} go together.`);
    return {
      ...process.env,
      [EnvironmentVariable.requestLogTable]: requestLogTable,
      [EnvironmentVariable.rollupsTable]: rollupsTable,
      [EnvironmentVariable.runtimeConfig]: JSON.stringify(runtimeConfigFrom(await loadLookoutConfig())),
    };
  }
  return runningStackEnvironment(localDataDir(), DEPLOYMENT_FLAGS);
}

runCli(USAGE, main);
