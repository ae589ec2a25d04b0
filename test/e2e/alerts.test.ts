/**
 * Alerts end to end under `npm start`: a rule made with `POST /v1/alerts`, traffic through the
 * gateway with the official SDK, the log's stream into the rollups, the evaluator over them, and
 * every channel: the Slack receiver on loopback gets the trigger and then the resolve,
 * `aws-ses-v2-local` (the stack's own) has the e-mail, the webhook receiver verifies the
 * signature, and a loopback endpoint decoding the SNS SDK's real Publish request gets the message
 * with its attributes (SNS itself is not run: there is no local SNS).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { verifyWebhookSignature } from '../../lambdas/core/alerts/alert-webhook.js';
import { sendJson } from '../../lambdas/demo/mock-provider.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';
import { SlackReceiver } from '../../lambdas/demo/slack-receiver.js';
import { SnsCapture } from '../support/sns-capture.js';

describe('alerts under npm start', () => {
  let fx: StackFixture;
  let slack: SlackReceiver;
  let hooks: SlackReceiver;
  let sns: SnsCapture;
  let appKey: string;
  let adminKey: string;

  before(async () => {
    [slack, hooks, sns] = await Promise.all([SlackReceiver.start(), SlackReceiver.start(), SnsCapture.start()]);
    // The schedule is an hour away: the test runs the evaluator itself, as the timer would.
    fx = await startStackFixture({}, { alerting: { slackWebhookUrl: slack.url(), snsEndpoint: sns.endpoint, intervalSeconds: 3600 } });
    appKey = await fx.createKey('app', 'alerts-app');
    adminKey = await fx.createKey('admin');
  });
  after(async () => {
    await fx?.close();
    await Promise.all([slack?.stop(), hooks?.stop(), sns?.stop()]);
  });

  async function api(method: string, path: string, body?: unknown) {
    const response = await fetch(`${fx.url}${path}`, {
      method,
      headers: { 'Lookout-Auth': `Bearer ${adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, json: (await response.json()) as any };
  }

  async function chat(environment: string, fail: boolean): Promise<void> {
    if (fail) fx.mock.scriptNext((_req, res) => sendJson(res, 500, { error: { message: 'mock outage', type: 'server_error' } }));
    const client = new OpenAI({
      apiKey: 'sk-provider',
      baseURL: `${fx.url}/openai/v1`,
      defaultHeaders: {
        'Helicone-Auth': `Bearer ${appKey}`,
        'Helicone-Property-Environment': environment,
        'Helicone-User-Id': fail ? 'mallory' : 'alice',
      },
      maxRetries: 0,
    });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => {
      if (!(error instanceof OpenAI.APIError && error.status === 500)) throw error;
    });
  }

  async function settled(): Promise<void> {
    await fx.stack.idle();
    await fx.stack.rollupsCaughtUp();
  }

  test('a rule made through the API triggers on production errors, reaches every channel, and resolves', async () => {
    const created = await api('POST', '/v1/alerts', {
      name: 'Production error rate',
      metric: 'error_rate',
      threshold: 50,
      windowSeconds: 600,
      minRequests: 4,
      filter: { properties: { environment: 'production' } },
      severity: 'critical',
      resolveAfterSeconds: 0,
      channels: { slack: true, email: ['oncall@example.com'], sns: true, webhook: hooks.url('/lookout-hook') },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const id = created.json.id as string;

    // Staging errors are outside the rule's filter; production is 3 failures in 4.
    for (let i = 0; i < 5; i++) await chat('staging', true);
    await chat('production', false);
    for (let i = 0; i < 3; i++) await chat('production', true);
    await settled();
    const first = await fx.stack.evaluateAlerts();
    assert.equal(first.notifications, 1);

    assert.equal(slack.received.length, 1);
    const triggered = slack.received[0]!.json as { text: string; blocks: unknown[] };
    assert.match(triggered.text, /Production error rate/);
    assert.match(triggered.text, /triggered/);
    assert.ok(triggered.blocks.length > 0);

    const emails = (await (await fetch(fx.stack.emailStoreUrl!)).json()) as {
      emails: { subject: string; destination: { to: string[] }; body: { text?: string; html?: string } }[];
    };
    assert.equal(emails.emails.length, 1);
    assert.deepEqual(emails.emails[0]!.destination.to, ['oncall@example.com']);
    assert.match(emails.emails[0]!.subject, /\[critical\] Production error rate triggered: error rate 75(\.0)?% is above 50%/);
    assert.match(emails.emails[0]!.body.text!, /mallory/, 'the top contributors name the user who caused it');
    assert.match(emails.emails[0]!.body.html!, /<table/);

    assert.equal(sns.published.length, 1);
    const published = sns.published[0]!;
    assert.ok(published.subject!.length < 100);
    assert.equal(published.attributes.severity?.stringValue, 'critical');
    assert.equal(published.attributes.rule?.stringValue, id);
    assert.equal(published.attributes.kind?.stringValue, 'triggered');

    assert.equal(hooks.received.length, 1);
    const hook = hooks.received[0]!;
    const signingKey = readFileSync(join(fx.dataDir, 'webhook-signing-key'), 'utf8').trim();
    assert.ok(verifyWebhookSignature(String(hook.headers['lookout-signature']), hook.body, signingKey, Math.floor(Date.now() / 1000)));
    assert.ok(
      !verifyWebhookSignature(String(hook.headers['lookout-signature']), `${hook.body} `, signingKey, Math.floor(Date.now() / 1000)),
    );
    const notification = hook.json as { requestsUrl: string; value: number; requests: number };
    assert.equal(notification.requests, 4);
    const link = new URL(notification.requestsUrl);
    assert.equal(link.origin + link.pathname, `${fx.url}/dashboard/requests`);
    assert.equal(link.searchParams.get('property.environment'), 'production');
    assert.equal(link.searchParams.get('status'), 'error');
    // The link's query string is the one /v1/requests takes: it lists exactly the failed production requests.
    const behind = await api('GET', `/v1/requests${link.search}`);
    assert.equal(behind.status, 200, JSON.stringify(behind.json));
    assert.equal(behind.json.requests.length, 3);

    const firing = await api('GET', `/v1/alerts/${id}`);
    assert.equal(firing.json.state, 'firing');

    // Healthy production traffic brings the rate under 50%; with resolveAfterSeconds 0 it resolves at once.
    for (let i = 0; i < 6; i++) await chat('production', false);
    await settled();
    await fx.stack.evaluateAlerts();
    assert.equal(slack.received.length, 2);
    assert.match((slack.received[1]!.json as { text: string }).text, /resolved/);
    assert.equal((await api('GET', `/v1/alerts/${id}`)).json.state, 'resolved');

    const history = await api('GET', `/v1/alerts/${id}/history`);
    const deliveries = history.json.history.filter((entry: { type: string }) => entry.type === 'delivery');
    assert.equal(deliveries.length, 8, 'four channels, twice');
    assert.ok(
      deliveries.every((entry: { outcome: string }) => entry.outcome === 'delivered'),
      JSON.stringify(deliveries),
    );
  });
});
