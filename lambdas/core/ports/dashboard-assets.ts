/** One file of the built dashboard, as the query API serves it. */
export interface DashboardAsset {
  bytes: Uint8Array;
  /** The `content-type` it is served with, e.g. `text/javascript; charset=utf-8`. */
  contentType: string;
}

/**
 * The built dashboard's files (port; a directory implements it): `index.html`, the page template,
 * and `assets/<name>`, the bundles it names. `read` gives undefined for a file the build did not make.
 */
export interface DashboardAssets {
  read(name: string): Promise<DashboardAsset | undefined>;
}
