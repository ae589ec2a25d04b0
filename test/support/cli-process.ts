import { execFile } from 'node:child_process';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the `lambdas/cli` command-line tools as `npm run` does (tsx), aimed at `dataDir`
 * through LOOKOUT_DATA_DIR only: any other LOOKOUT_ variable of this process is left out, so the
 * tool has to find the stack the way it does for a user.
 */
export function runCliTool(script: string, args: readonly string[], dataDir: string): Promise<CliResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LOOKOUT_')));
  return new Promise((resolve) => {
    execFile('node_modules/.bin/tsx', [script, ...args], { env: { ...env, LOOKOUT_DATA_DIR: dataDir } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}
