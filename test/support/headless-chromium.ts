/**
 * Debian's Chromium, driven by playwright-core (never `npx playwright install`, which downloads a
 * browser). The flags keep it off the network this machine does not have: without them Chromium
 * tries Google's hosts at every start.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The folder a suite puts its screenshots in, under the git-ignored `test-results/`, made if missing. */
export function screenshotDir(suite: string): string {
  const dir = join(process.cwd(), 'test-results', suite);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
