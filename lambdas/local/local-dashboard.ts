import { join } from 'node:path';

/**
 * Builds the dashboard into `<dataDir>/dashboard` for the local query API (`LOOKOUT_DASHBOARD_DIR`),
 * as the CDK builds it into the query API's asset: esbuild takes well under a second. A failed
 * build is logged and the stack starts anyway; `/dashboard` then answers that it is not built.
 */
export async function buildLocalDashboard(dataDir: string, log?: (message: string) => void): Promise<string> {
  const outDir = join(dataDir, 'dashboard');
  try {
    // Loaded here: esbuild is a dev dependency, needed by `npm start` only.
    const { buildDashboard } = await import('../../dashboard/build-dashboard.js');
    await buildDashboard(outDir);
  } catch (error) {
    log?.(`The dashboard did not build, /dashboard will answer 503: ${error instanceof Error ? error.message : error}`);
  }
  return outDir;
}
