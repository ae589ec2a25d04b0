/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against the local
 * stack, seeded through the gateway with the official OpenAI SDK and known traffic: eight requests
 * of three users, two of them failed, one session of three steps, one cache hit of two lookups and
 * one unpriced model. Each view is saved as a screenshot under test-results/dashboard/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sendJson } from '../../lambdas/demo/mock-provider.js';
import { SlackReceiver } from '../../lambdas/demo/slack-receiver.js';
import { launchChromium, screenshotDir } from '../support/headless-chromium.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';

interface SeededRequest {
  id: string;
  userId: string;
  feature: string;
  failed: boolean;
  /** `Lookout-Cache` of the answer: HIT, MISS, or null when the cache was not asked. */
  cache: string | null;
}

const SCREENSHOTS = screenshotDir('dashboard');

/** Polls `condition` until it holds (the page's CSP refuses the eval a string predicate needs). */
async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the dashboard in Chromium', () => {
  let fx: StackFixture;
  let slack: SlackReceiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let appKey: string;
  let adminKey: string;
  const seeded: SeededRequest[] = [];

  before(async () => {
    slack = await SlackReceiver.start();
    // The evaluator's timer is an hour away: the test runs it when it wants a notification.
    // A loaded machine's DynamoDB Local can take longer than the cache's 50 ms budget, which would turn the hit into a miss.
    fx = await startStackFixture(
      { indexedProperties: ['feature'], cacheTimeoutMs: 2_000 },
      { alerting: { slackWebhookUrl: slack.url(), intervalSeconds: 3600 } },
    );
    [appKey, adminKey] = await Promise.all([fx.createKey('app', 'dashboard-app'), fx.createKey('admin', 'dashboard-admin')]);
    await seedTraffic();
    await fx.stack.idle();
    await fx.stack.rollupsCaughtUp();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await fx?.close();
    await slack?.stop();
  });

  function client(userId: string, feature: string, extra: Record<string, string> = {}): OpenAI {
    return new OpenAI({
      apiKey: 'sk-provider',
      baseURL: `${fx.url}/openai/v1`,
      defaultHeaders: { 'Lookout-Auth': `Bearer ${appKey}`, 'Lookout-User-Id': userId, 'Lookout-Property-Feature': feature, ...extra },
      maxRetries: 0,
    });
  }

  async function chat(
    userId: string,
    feature: string,
    options: { text: string; model?: string; fail?: boolean; stream?: boolean; headers?: Record<string, string> },
  ) {
    if (options.fail) fx.mock.scriptNext((_req, res) => sendJson(res, 500, { error: { message: 'mock outage', type: 'server_error' } }));
    const openai = client(userId, feature, options.headers);
    const body = { model: options.model ?? 'gpt-4o-mini', messages: [{ role: 'user' as const, content: options.text }] };
    let headers: Headers;
    if (options.stream) {
      const { response, data } = await openai.chat.completions.create({ ...body, stream: true }).withResponse();
      for await (const _chunk of data);
      headers = response.headers;
    } else {
      headers = await openai.chat.completions
        .create(body)
        .withResponse()
        .then(
          ({ response }) => response.headers,
          (error: unknown) => {
            if (error instanceof OpenAI.APIError && error.status === 500 && error.headers) return error.headers;
            throw error;
          },
        );
    }
    const id = headers.get('lookout-id');
    assert.ok(id, 'the gateway names each request in Lookout-Id');
    seeded.push({ id, userId, feature, failed: options.fail === true, cache: headers.get('lookout-cache') });
    // One at a time: the mock's scripted failure is for the next request, and the cache's store ends after the answer.
    await fx.stack.idle();
  }

  async function seedTraffic(): Promise<void> {
    const trip = (path: string) => ({
      'Lookout-Session-Id': 'trip-1',
      'Lookout-Session-Name': 'Lisbon trip',
      'Lookout-Session-Path': path,
    });
    await chat('alice', 'chat', { text: 'Plan a weekend in Lisbon', headers: trip('/plan') });
    await chat('alice', 'chat', { text: 'Outline day one', headers: trip('/plan/outline') });
    await chat('alice', 'chat', { text: 'Write the itinerary', stream: true, headers: trip('/write') });
    await chat('bob', 'search', { text: 'find flights', fail: true });
    await chat('bob', 'search', { text: 'find hotels', fail: true });
    await chat('bob', 'search', { text: 'find trains', headers: { 'Lookout-Cache-Enabled': 'true' } });
    await chat('bob', 'search', { text: 'find trains', headers: { 'Lookout-Cache-Enabled': 'true' } });
    await chat('carol', 'chat', { text: 'hello house model', model: 'house-model-7' });
    assert.deepEqual(
      seeded.map((request) => request.cache).filter((status) => status !== null),
      ['MISS', 'HIT'],
      'the repeated request was answered from the cache',
    );
  }

  async function api(method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${fx.url}${path}`, {
      method,
      headers: { 'Lookout-Auth': `Bearer ${adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return response.json();
  }

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  async function metricText(metric: string): Promise<string> {
    return (await page.locator(`[data-metric="${metric}"]`).first().textContent())?.trim() ?? '';
  }

  test('refuses a wrong key with a clear message, then signs in with the admin key', async () => {
    await page.goto(`${fx.url}/dashboard`);
    await page.getByLabel('Admin key').fill('lk_not_a_real_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refusal = page.locator('[data-sign-in-error]');
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', /refused/i);
    await screenshot('sign-in-refused');

    await page.getByLabel('Admin key').fill(appKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-sign-in-error]', { hasText: /not an admin key/i }).waitFor();

    await page.getByLabel('Admin key').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-metric="requests"]').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('lookout.adminKey')), adminKey, 'the key is kept for the tab only');
  });

  test("the overview's totals are the seeded traffic's", async () => {
    await page.goto(`${fx.url}/dashboard`);
    await page.locator('[data-metric="unpriced_share"]').waitFor();
    const logged = (await api('GET', '/v1/requests?limit=100')).requests as { costUsd: number | null }[];
    const cost = logged.reduce((sum, request) => sum + (request.costUsd ?? 0), 0);
    assert.equal(logged.length, 8);
    assert.equal(await metricText('requests'), '8');
    assert.equal(await metricText('error_rate'), '25.0%');
    assert.equal(await metricText('cache_hit_rate'), '50.0%');
    assert.equal(await metricText('unpriced_share'), '12.5%');
    const shownCost = Number((await metricText('cost')).replace('$', ''));
    assert.ok(cost > 0 && Math.abs(shownCost - cost) <= cost * 0.01, `cost shown ${shownCost}, logged ${cost}`);
    assert.match(await metricText('latency_p95'), /^\d[\d,]* ms$/);
    assert.match(await metricText('ttft_p95'), /^\d[\d,]* ms$/, 'the one streamed request has a first token time');
    await screenshot('overview');

    await page.locator('label.split select').selectOption('property:feature');
    await page.locator('.u-legend .u-series').first().waitFor();
    assert.equal(await metricText('requests'), '8', 'a split keeps the total');
    await screenshot('overview-by-feature');
  });

  test('filters requests by user and opens one with its bodies as a chat', async () => {
    await page.goto(`${fx.url}/dashboard/requests`);
    await page.locator('tr[data-request-id]').first().waitFor();
    assert.equal(await page.locator('tr[data-request-id]').count(), 8);
    await page.getByLabel('User').fill('alice');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/userId=alice/);
    await waitUntil(async () => (await page.locator('tr[data-request-id]').count()) === 3, "alice's three requests listed");
    const shown = await page.locator('tr[data-request-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-request-id')));
    const alices = seeded.filter((request) => request.userId === 'alice').map((request) => request.id);
    assert.deepEqual(new Set(shown), new Set(alices));

    const first = seeded.find((request) => request.userId === 'alice')!;
    await page.locator(`tr[data-request-id="${first.id}"]`).click();
    await page.waitForURL(new RegExp(`/dashboard/requests/${first.id}\\?userId=alice`));
    const bubbles = page.locator('.chat .bubble');
    await bubbles.nth(1).waitFor();
    assert.match((await bubbles.nth(0).textContent()) ?? '', /Plan a weekend in Lisbon/);
    assert.match((await bubbles.nth(1).textContent()) ?? '', /Hello from the mock provider\./);
    await screenshot('requests-detail');
  });

  test("opens a session's tree and sees its steps", async () => {
    await page.goto(`${fx.url}/dashboard/sessions`);
    await page.locator('tr[data-session-id="trip-1"] a').click();
    await page.waitForURL(/\/dashboard\/sessions\/trip-1$/);
    await page.locator('[data-session-path="/plan/outline"]').waitFor();
    const paths = await page
      .locator('[data-session-path]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-session-path')));
    assert.deepEqual(paths, ['/', '/plan', '/plan/outline', '/write']);
    assert.equal(await page.locator('[data-session-total="requests"]').textContent(), '3');
    assert.equal(await page.locator('.session-tree [data-request-id]').count(), 3, 'each step is listed under its path');
    await screenshot('session-tree');
    await page.goto(`${fx.url}/dashboard/sessions`);
    await page.locator('tr[data-session-id]').first().waitFor();
    await screenshot('sessions');
  });

  test("follows an alert's Slack link to exactly its requests", async () => {
    const rule = await api('POST', '/v1/alerts', {
      name: 'Search errors',
      metric: 'error_rate',
      threshold: 20,
      windowSeconds: 600,
      minRequests: 2,
      filter: { properties: { feature: 'search' } },
      severity: 'critical',
      resolveAfterSeconds: 600,
      channels: { slack: true },
    });
    await fx.stack.evaluateAlerts();
    const message = slack.received.find((webhook) => webhook.body.includes('Search errors'));
    assert.ok(message, 'the rule fired and Slack got it');
    const link = /https?:\/\/[^\s"<>|]+\/dashboard\/requests\?[^\s"<>|]+/.exec(JSON.parse(JSON.stringify(message.body)))?.[0];
    assert.ok(link, `the Slack message links to the requests: ${message.body}`);

    await page.goto(link.replaceAll('&amp;', '&'));
    await page.locator('tr[data-request-id]').first().waitFor();
    const shown = await page.locator('tr[data-request-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-request-id')));
    const failedSearches = seeded.filter((request) => request.feature === 'search' && request.failed).map((request) => request.id);
    assert.deepEqual(new Set(shown), new Set(failedSearches));
    assert.equal(shown.length, 2);
    await screenshot('alert-link-requests');

    await page.goto(`${fx.url}/dashboard/alerts/${encodeURIComponent(rule.id)}`);
    await page.locator(`tr[data-alert-id="${rule.id}"][data-alert-state="firing"]`).waitFor();
    await page.locator('[data-history-type="transition"]').first().waitFor();
    await page.getByRole('button', { name: 'Send a test notification' }).click();
    await page.locator('[data-delivery="slack"]').waitFor();
    assert.match((await page.locator('[data-delivery="slack"]').textContent()) ?? '', /delivered/);
    await screenshot('alerts');
  });

  test('shows users with their flags, and the cache with its savings', async () => {
    await page.goto(`${fx.url}/dashboard/users?orderBy=errors`);
    await page.locator('tr[data-user-id]').first().waitFor();
    const users = await page.locator('tr[data-user-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-user-id')));
    assert.equal(users[0], 'bob', 'ordered by errors, bob comes first');
    assert.deepEqual(new Set(users), new Set(['alice', 'bob', 'carol']));
    await screenshot('users');

    await page.goto(`${fx.url}/dashboard/cache`);
    await page.locator('[data-metric="cache_hit_rate"]').waitFor();
    assert.equal(await metricText('cache_hit_rate'), '50.0%');
    assert.notEqual(await metricText('saved_usd'), '$0', 'the hit saved what the original cost');
    await screenshot('cache');
  });

  test('is readable on a phone', async () => {
    const phone = await context.newPage();
    // sessionStorage is the tab's own: a new tab signs in again, here through the handed-over fragment.
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${fx.url}/dashboard#key=${adminKey}`);
    await phone.locator('[data-metric="requests"]').waitFor();
    assert.equal(new URL(phone.url()).hash, '', 'the key is taken off the address bar');
    // Run in the page; this file is typed for Node, so the browser's globals are reached through globalThis.
    const overflow = await phone.evaluate(() => {
      const { document, innerWidth } = globalThis as unknown as {
        document: { documentElement: { scrollWidth: number } };
        innerWidth: number;
      };
      return document.documentElement.scrollWidth - innerWidth;
    });
    assert.ok(overflow <= 0, `the overview fits the phone's width (overflows by ${overflow} px)`);
    await phone.screenshot({ path: join(SCREENSHOTS, 'overview-phone.png'), fullPage: true });
    await phone.close();
  });
});
