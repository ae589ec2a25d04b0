/**
 * Reads `lookout.config.ts`, for the CDK app and for `npm start` and the command-line tools alike,
 * so that each refuses a bad config with the same message.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LookoutConfigError, parseLookoutConfig, type LookoutConfig } from './lookout-config.js';

/** Where `loadLookoutConfig()` looks when no path is given: the repo root, whatever the cwd. */
export const defaultLookoutConfigPath = fileURLToPath(new URL('../../lookout.config.ts', import.meta.url));

/**
 * Imports and validates a `lookout.config.ts` (default: the one in the repo root). The file is
 * TypeScript, so the caller must run under tsx (the CDK app, `npm start` and the tests do).
 */
export async function loadLookoutConfig(path: string = defaultLookoutConfigPath): Promise<LookoutConfig> {
  const absolutePath = resolve(path);
  const file = shownPath(absolutePath);
  if (!existsSync(absolutePath)) {
    throw new LookoutConfigError(`${file} not found; create it with \`export default defineConfig({})\``);
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(absolutePath).href)) as { default?: unknown };
  } catch (error) {
    // A syntax error or a throw in the file: name the file, as for every other config mistake.
    throw new LookoutConfigError(`${file} could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (module.default === undefined) {
    throw new LookoutConfigError(`${file} has no default export; use \`export default defineConfig({...})\``);
  }
  return parseLookoutConfig(module.default, file);
}

/** The config file as a person finds it: relative when under the working directory, else absolute. */
function shownPath(absolutePath: string): string {
  const fromCwd = relative(process.cwd(), absolutePath);
  return fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : absolutePath;
}
