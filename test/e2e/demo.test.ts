/**
 * `npm run demo` as a new user runs it, with no provider key: it prints the banner with the
 * dashboard URL and the dev key, serves its traffic through the gateway (the query API has the
 * requests), and the guide's error-rate alert fires (its Slack message printed, the rule
 * `firing` in the API) within a bounded time. The printed dashboard URL then opens in Chromium
 * signed in, with the traffic and the firing alert on screen (a screenshot of each view in
 * test-results/demo/); then SIGTERM stops the demo and everything it started.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { launchChromium, screenshotDir } from '../support/headless-chromium.js';

/** From the start to the alert firing; the demo's evaluator runs every 10 s, its traffic fails from the first seconds. */
const ALERT_FIRES_WITHIN_MS = 150_000;

let child: ChildProcess | undefined;
let output = '';
const demoDir = mkdtempSync(join(tmpdir(), 'lookout-demo-'));

const demoProcesses = () => {
  try {
    return execFileSync('pgrep', ['-f', `${demoDir}/dynamodb`], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
};

async function waitFor<T>(condition: () => T | undefined | Promise<T | undefined>, what: string, deadline: number): Promise<T> {
  for (;;) {
    if (child?.exitCode !== null && child?.exitCode !== undefined) throw new Error(`npm run demo exited (${child.exitCode}):\n${output}`);
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; npm run demo printed:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The demo's Node process: npm's script execs it, so it is npm's only child. */
function nodePidUnder(npm: ChildProcess): number | undefined {
  try {
    return (
      Number(
        execFileSync('pgrep', ['-P', String(npm.pid)], { encoding: 'utf8' })
          .trim()
          .split('\n')[0],
      ) || undefined
    );
  } catch {
    return undefined;
  }
}

after(async () => {
  // After a failure: killing npm alone would leave Node running; Node's death is what stops the JVM.
  if (child && child.exitCode === null && child.signalCode === null) {
    const node = nodePidUnder(child);
    if (node) process.kill(node, 'SIGKILL');
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
  const deadline = Date.now() + 20_000;
  while (demoProcesses().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  rmSync(demoDir, { recursive: true, force: true });
});

test('npm run demo starts, serves traffic and an alert fires within a bounded time, then stops on SIGTERM', {
  timeout: 240_000,
}, async () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LOOKOUT_')));
  const startedAt = Date.now();
  const deadline = startedAt + ALERT_FIRES_WITHIN_MS;
  child = spawn('npm', ['run', 'demo'], {
    env: { ...env, PORT: '0', LOOKOUT_DEMO_DIR: demoDir, LOOKOUT_DEMO_MINUTES: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));

  const [, url, devKey] = await waitFor(
    () => /Dashboard: +(http:\/\/127\.0\.0\.1:\d+)\/dashboard#key=(lk_\S+)/.exec(output) ?? undefined,
    'the banner',
    deadline,
  );
  assert.ok(output.includes('mock provider: no real model is called'), output);
  assert.ok(output.includes(`Dev key (app and admin): ${devKey}`), output);
  assert.ok(output.includes(`${url}/openai/v1`) && output.includes(`${url}/anthropic`), output);
  const api = async (path: string) => {
    const response = await fetch(`${url}${path}`, { headers: { 'Lookout-Auth': `Bearer ${devKey}` } });
    assert.equal(response.status, 200, path);
    return (await response.json()) as any;
  };

  const requests = await waitFor(
    async () => {
      const page = await api('/v1/requests?limit=100');
      return page.requests.length >= 10 ? (page.requests as any[]) : undefined;
    },
    'the demo traffic in the request log',
    deadline,
  );
  assert.ok(requests.every((request) => request.properties.environment && request.properties.feature));

  await waitFor(
    () => output.includes('Slack notification: [critical] Production error rate triggered') || undefined,
    'the alert on Slack',
    deadline,
  );
  const alerts = (await api('/v1/alerts')).alerts as { name: string; state: string }[];
  assert.equal(alerts.find((alert) => alert.name === 'Production error rate')?.state, 'firing');
  assert.ok(output.includes('View the requests: '), output);
  console.error(`npm run demo: alert fired ${Math.round((Date.now() - startedAt) / 1000)} s after the start`);

  await seeTheDemoInChromium(`${url}/dashboard#key=${devKey}`, url!);

  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0, output);
  assert.ok(output.includes('SIGTERM: stopping the demo'), output);
  await assert.rejects(fetch(`${url}/healthz`), 'the port is closed');
  const stopDeadline = Date.now() + 20_000;
  while (demoProcesses().length > 0) {
    assert.ok(Date.now() < stopDeadline, 'DynamoDB Local exits with the demo');
    await new Promise((r) => setTimeout(r, 250));
  }
});

/** What a new user sees at the printed URL: each view with the demo's data, the alert firing. */
async function seeTheDemoInChromium(printedUrl: string, url: string): Promise<void> {
  const screenshots = screenshotDir('demo');
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const shot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
    await page.goto(printedUrl);
    // The rollups may trail the log by a few seconds: wait for the first requests to be counted.
    const requestsTotal = page.locator('[data-metric="requests"]');
    await waitFor(
      async () => Number(await requestsTotal.getAttribute('data-value')) > 0 || undefined,
      'the overview counting requests',
      Date.now() + 60_000,
    );
    await page.locator('.metric-grid canvas').first().waitFor();
    await shot('overview');
    await page.goto(`${url}/dashboard/requests`);
    await page.locator('tr[data-request-id]').first().click();
    await page.locator('.detail-panel .facts').waitFor();
    await shot('requests');
    await page.goto(`${url}/dashboard/users`);
    await page.locator('tr[data-user-id]').first().waitFor();
    await shot('users');
    await page.goto(`${url}/dashboard/sessions`);
    // A support ticket's session: a tree of steps (triage, search, draft, review), not a one-step chat.
    await page.locator('tr[data-session-id^="ticket-"] a').first().click();
    await page.locator('[data-session-path="/triage"]').waitFor();
    await shot('session');
    await page.goto(`${url}/dashboard/cache`);
    await page.locator('[data-metric="cache_hit_rate"]').waitFor();
    await shot('cache');
    await page.goto(`${url}/dashboard/alerts`);
    await page.locator('tr[data-alert-state="firing"]').first().waitFor();
    assert.match((await page.locator('tr[data-alert-state="firing"]').first().textContent()) ?? '', /Production error rate/);
    await shot('alerts');
  } finally {
    await browser.close();
  }
}
