import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEALTH_CHECK_PATH } from '../contract/routes.js';

/**
 * The folder a local stack keeps its data in. `npm start`, `npm run keys` and `npm run logs:replay`
 * all read it here, so the command-line tools find the stack `npm start` runs.
 */
export function localDataDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.LOOKOUT_DATA_DIR || '.lookout';
}

/** Where `npm start` writes its endpoints, so `npm run keys` and `logs:replay` find the running stack. */
export const LOCAL_ENDPOINTS_FILE = 'local-endpoints.json';

export interface LocalEndpoints {
  url: string;
  /** The environment the local Lambdas run with (endpoints, table and bucket names). */
  lambdaEnvironment: Record<string, string>;
}

const PROBE_TIMEOUT_MS = 5_000;

/**
 * The environment of the stack `npm start` runs under `dataDir`, for the command-line tools, once
 * its `/healthz` answers. `deploymentFlags` (e.g. `--table`) is how the tool reaches a deployment
 * instead, for the message when no stack is running.
 */
export async function runningStackEnvironment(dataDir: string, deploymentFlags: string): Promise<Record<string, string>> {
  const notRunning = `No local stack is running under ${dataDir} (start it with \`npm start\`, or pass ${deploymentFlags} for a deployment).`;
  const file = join(dataDir, LOCAL_ENDPOINTS_FILE);
  if (!existsSync(file)) throw new Error(notRunning);
  const endpoints = JSON.parse(readFileSync(file, 'utf8')) as LocalEndpoints;
  // A stopped stack leaves its endpoints file behind; without this the tools fail with a bare ECONNREFUSED.
  let health: Response;
  try {
    health = await fetch(`${endpoints.url}${HEALTH_CHECK_PATH}`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await health.body?.cancel();
  } catch {
    throw new Error(notRunning);
  }
  if (!health.ok) {
    throw new Error(
      `The local stack under ${dataDir} is not ready (${endpoints.url}${HEALTH_CHECK_PATH} answered ${health.status}); try again in a moment, or restart \`npm start\`.`,
    );
  }
  return endpoints.lambdaEnvironment;
}
