import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import type { DashboardAsset, DashboardAssets } from '../../core/ports/dashboard-assets.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * The built dashboard (`dashboard/build-dashboard.ts`'s output) in a directory: every file is read
 * once, on the first call, and kept in memory (a few hundred KB). Only the files found then are
 * served, so no name, `..` included, reaches outside the directory.
 */
export class DashboardDirectory implements DashboardAssets {
  private files: Promise<Map<string, DashboardAsset>> | undefined;

  constructor(private readonly directory: string) {}

  async read(name: string): Promise<DashboardAsset | undefined> {
    this.files ??= readAll(this.directory).catch((error) => {
      this.files = undefined;
      throw error;
    });
    return (await this.files).get(name);
  }
}

async function readAll(directory: string): Promise<Map<string, DashboardAsset>> {
  const files = new Map<string, DashboardAsset>();
  let entries: string[];
  try {
    entries = await readdir(directory, { recursive: true });
  } catch (error) {
    // No directory is a dashboard that was not built: every file is missing, which the routes say.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return files;
    throw error;
  }
  for (const entry of entries) {
    const path = join(directory, entry);
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EISDIR') return undefined;
      throw error;
    });
    if (!bytes) continue;
    const name = relative(directory, path).split(sep).join('/');
    files.set(name, { bytes, contentType: CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream' });
  }
  return files;
}
