import type { DashboardAsset, DashboardAssets } from '../../lambdas/core/ports/dashboard-assets.js';

/** A built dashboard held in memory: `files` by name (`index.html`, `assets/app.js`), with their types. */
export class InMemoryDashboardAssets implements DashboardAssets {
  private readonly files = new Map<string, DashboardAsset>();

  constructor(files: Record<string, { text: string; contentType: string }>) {
    for (const [name, { text, contentType }] of Object.entries(files)) {
      this.files.set(name, { bytes: new TextEncoder().encode(text), contentType });
    }
  }

  async read(name: string): Promise<DashboardAsset | undefined> {
    return this.files.get(name);
  }
}
