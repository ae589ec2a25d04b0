import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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

/** The environment of the stack `npm start` runs under `dataDir`, for the command-line tools. */
export function runningStackEnvironment(dataDir: string): Record<string, string> {
  const file = join(dataDir, LOCAL_ENDPOINTS_FILE);
  if (!existsSync(file)) throw new Error(`No local stack found (${file} is missing). Run \`npm start\` first, or pass the deployment's names (see --help).`);
  return (JSON.parse(readFileSync(file, 'utf8')) as LocalEndpoints).lambdaEnvironment;
}
