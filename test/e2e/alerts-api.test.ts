/**
 * `/v1/alerts` on the local stack: rules made, listed, replaced and deleted through the HTTP
 * front and kept in the alerts table, a config rule read-only, and `POST /v1/alerts/{id}/test`
 * delivered for real: to a loopback Slack receiver (the stack's default webhook) and through
 * the stack's SES emulator, with the figures of requests sent through the gateway just before,
 * both deliveries then in the rule's history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { StoredEmail } from '../../lambdas/local/ses-local.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';
import { SlackReceiver } from '../../lambdas/demo/slack-receiver.js';

const configRule = {
  name: 'Config error rate',
  metric: 'error_rate',
  threshold: 90,
  windowSeconds: 600,
  minRequests: 1000,
  channels: { slack: true },
} as const;
// Thresholds no test's traffic reaches: the evaluator, should it run, sends nothing.
const requestsRule = {
  name: 'E2E request volume',
  metric: 'requests',
  threshold: 10_000,
  windowSeconds: 600,
  filter: { properties: { environment: 'e2e-alerts' } },
  channels: { slack: true, email: ['oncall@example.com'] },
} as const;
const SENT = 4;

let fx: StackFixture;
let slack: SlackReceiver;
let adminKey: string;
let appKey: string;

before(async () => {
  slack = await SlackReceiver.start();
  // The rule of the test notification is made after the requests: their property is indexed by the config.
  fx = await startStackFixture(
    { alerts: [configRule], indexedProperties: ['environment'] },
    { alerting: { slackWebhookUrl: slack.url(), intervalSeconds: 3600 } },
  );
  adminKey = await fx.createKey('admin');
  appKey = await fx.createKey('app', 'alerts-app');
});
after(async () => {
  await fx?.close();
  await slack?.stop();
});

async function api(method: string, path: string, body?: unknown, key = adminKey): Promise<{ status: number; body: any }> {
  const response = await fetch(`${fx.url}${path}`, {
    method,
    headers: { 'Lookout-Auth': `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

async function emailsTo(address: string): Promise<StoredEmail[]> {
  assert.ok(fx.stack.emailStoreUrl, 'the stack started the SES emulator');
  const response = await fetch(fx.stack.emailStoreUrl);
  assert.equal(response.status, 200);
  const { emails } = (await response.json()) as { emails: StoredEmail[] };
  return emails.filter((email) => email.destination.to.includes(address));
}

describe('/v1/alerts on the local stack', () => {
  test('makes, lists, finds, replaces and deletes a rule of its own, beside the config rule', async () => {
    const made = await api('POST', '/v1/alerts', { ...requestsRule, name: 'E2E lifecycle' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const { id } = made.body;
    assert.deepEqual([made.body.source, made.body.readOnly, made.body.comparison, made.body.enabled], ['api', false, 'gt', true]);

    const listed = (await api('GET', '/v1/alerts')).body.alerts;
    assert.deepEqual(
      listed.map((rule: { id: string; readOnly: boolean; state: string }) => [rule.id, rule.readOnly, rule.state]),
      [
        ['config:Config error rate', true, 'ok'],
        [id, false, 'ok'],
      ],
    );

    const found = await api('GET', `/v1/alerts/${id}`);
    assert.equal(found.status, 200);
    assert.deepEqual(
      [found.body.name, found.body.state, found.body.value, found.body.evaluatedAt, found.body.groups],
      ['E2E lifecycle', 'ok', null, null, []],
    );

    const replaced = await api('PUT', `/v1/alerts/${id}`, { ...requestsRule, name: 'E2E lifecycle', threshold: 20_000, groupBy: 'user' });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    const again = (await api('GET', `/v1/alerts/${id}`)).body;
    assert.deepEqual([again.id, again.threshold, again.groupBy], [id, 20_000, 'user']);

    assert.equal((await api('DELETE', `/v1/alerts/${id}`)).status, 204);
    assert.equal((await api('GET', `/v1/alerts/${id}`)).status, 404);
    assert.equal((await api('GET', '/v1/alerts')).body.alerts.length, 1);
  });

  test('keeps the config rule read-only, names a bad field, and refuses an app key', async () => {
    for (const answer of [
      await api('PUT', '/v1/alerts/config:Config%20error%20rate', configRule),
      await api('DELETE', '/v1/alerts/config:Config%20error%20rate'),
    ]) {
      assert.equal(answer.status, 409);
      assert.equal(answer.body.error.code, 'alert_read_only');
    }
    assert.equal((await api('GET', '/v1/alerts/config:Config%20error%20rate')).body.readOnly, true);
    const bad = await api('POST', '/v1/alerts', { ...requestsRule, windowSeconds: 30 });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_alert');
    assert.match(bad.body.error.message, /^windowSeconds: must be whole seconds from 60 to 2592000 \(30 days\), got 30$/);
    assert.equal((await api('POST', '/v1/alerts', { ...requestsRule, name: 'Config error rate' })).body.error.code, 'alert_name_taken');
    assert.equal((await api('GET', '/v1/alerts', undefined, appKey)).status, 403);
  });

  test('sends a test notification to Slack and by e-mail with the figures now, and records both deliveries', async () => {
    const openai = new OpenAI({
      apiKey: 'sk-provider',
      baseURL: `${fx.url}/openai/v1`,
      defaultHeaders: { 'Helicone-Auth': `Bearer ${appKey}`, 'Helicone-Property-Environment': 'e2e-alerts' },
      maxRetries: 0,
    });
    for (let i = 0; i < SENT; i++) {
      await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `alerts e2e ${i}` }] });
    }
    await fx.stack.idle();
    await fx.stack.rollupsCaughtUp();
    const { id } = (await api('POST', '/v1/alerts', requestsRule)).body;
    slack.reset();

    const tested = await api('POST', `/v1/alerts/${id}/test`);
    assert.equal(tested.status, 200, JSON.stringify(tested.body));
    assert.deepEqual(tested.body, {
      deliveries: [
        { channel: 'email', outcome: 'delivered', attempts: 1 },
        { channel: 'slack', outcome: 'delivered', attempts: 1 },
      ],
    });

    assert.equal(slack.received.length, 1);
    const message = slack.received[0]!.json as { text: string };
    assert.match(message.text, /^\[warning\] E2E request volume /);
    assert.match(message.text, new RegExp(`\\(${SENT} requests\\)`), 'the figures are read now');

    const [email, ...more] = await emailsTo('oncall@example.com');
    assert.ok(email, 'the e-mail reached the SES emulator');
    assert.equal(more.length, 0);
    assert.match(email.subject, /E2E request volume/);
    assert.match(email.body.text!, /This is a test notification/);
    assert.match(email.body.text!, new RegExp(`Rule: E2E request volume \\(${id}\\)`));
    assert.match(email.body.text!, new RegExp(`${fx.url}/dashboard/requests\\?property\\.environment=e2e-alerts&`));

    const { history } = (await api('GET', `/v1/alerts/${id}/history`)).body;
    assert.deepEqual(
      history
        .map((entry: { type: string; kind: string; channel: string; outcome: string }) => [
          entry.type,
          entry.kind,
          entry.channel,
          entry.outcome,
        ])
        .sort(),
      [
        ['delivery', 'test', 'email', 'delivered'],
        ['delivery', 'test', 'slack', 'delivered'],
      ],
    );
    assert.equal((await api('GET', `/v1/alerts/${id}`)).body.state, 'ok', 'a test leaves the state alone');
  });

  test('answers a failing channel in the list, with its error, and records it', async () => {
    const { id } = (await api('POST', '/v1/alerts', { ...requestsRule, name: 'E2E failing Slack', channels: { slack: true } })).body;
    slack.reset();
    // A test notification makes one attempt per channel (it must answer within API Gateway's 29 s).
    slack.answerNext({ status: 404, body: 'no_service' });
    const tested = await api('POST', `/v1/alerts/${id}/test`);
    assert.equal(tested.status, 200);
    const [delivery] = tested.body.deliveries;
    assert.deepEqual([delivery.channel, delivery.outcome, delivery.attempts], ['slack', 'failed', 1]);
    assert.match(delivery.error, /404/);
    assert.doesNotMatch(delivery.error, /XXXXXXXX/, "the webhook's secret path is not repeated");
    const [entry] = (await api('GET', `/v1/alerts/${id}/history`)).body.history;
    assert.deepEqual([entry.channel, entry.outcome, entry.error], ['slack', 'failed', delivery.error]);
  });
});
