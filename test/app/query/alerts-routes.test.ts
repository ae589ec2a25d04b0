/**
 * `/v1/alerts` over in-memory stores: rules made, listed, replaced and deleted beside the
 * config's read-only ones, each bad field named, the state the evaluator writes read back (per
 * group for a rule with groupBy), the history newest first, and the test notification sent to
 * every channel through a recording delivery, with the figures of a live read.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { AlertEvaluator } from '../../../lambdas/app/alerts/alert-evaluator.js';
import { alertRuleInputSchema, configAlertRules, type AlertRuleInput } from '../../../lambdas/contract/alert-rule.js';
import type { RequestLogRecord } from '../../../lambdas/core/request-log/request-log-record.js';
import { InMemoryAlerts, RecordingAlertDelivery } from '../../support/in-memory-alerts.js';
import {
  ADMIN_KEY,
  DEFAULT_ROLLUP_RETENTION,
  InMemoryRequestLogReads,
  QUERY_APP_KEY,
  RollupsOfRecords,
  inMemoryQueryService,
  queryRequest,
} from '../../support/in-memory-query-stores.js';
import { logRecord } from '../../support/request-log-records.js';

const MINUTE = 60_000;
const INDEXED = ['environment', 'feature'];
const PUBLIC_URL = 'https://lookout.example.com';

const errorRate = {
  name: 'Production error rate',
  metric: 'error_rate',
  threshold: 5,
  windowSeconds: 600,
  minRequests: 10,
  filter: { properties: { environment: 'production' } },
  severity: 'critical',
  channels: { slack: true, email: ['oncall@example.com'] },
} as const;
const dailyCost = {
  name: 'Daily cost',
  metric: 'cost',
  threshold: 100,
  windowSeconds: 86_400,
  channels: { email: ['finance@example.com'] },
};
/** What the API answers for `errorRate`: every field, the defaults filled in. */
const errorRateJson = {
  ...errorRate,
  comparison: 'gt',
  resolveAfterSeconds: 300,
  forecast: false,
  enabled: true,
};

const configAlerts = configAlertRules([
  alertRuleInputSchema.parse({ ...dailyCost, name: 'Spend' }),
  alertRuleInputSchema.parse({ ...errorRate, name: 'team/errors', filter: {}, channels: { sns: true } }),
]);

let nowMs: number;
let records: RequestLogRecord[];
let alerts: InMemoryAlerts;
let delivery: RecordingAlertDelivery;
let logged: { message: string }[];
let send: (method: string, pathAndQuery: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: any;
}

beforeEach(() => {
  nowMs = Date.parse('2026-03-01T12:00:30Z');
  records = [];
  alerts = new InMemoryAlerts();
  delivery = new RecordingAlertDelivery(() => nowMs);
  const made = inMemoryQueryService(new InMemoryRequestLogReads(records), {
    configAlerts,
    alertRules: alerts,
    alertStates: alerts,
    alertDelivery: delivery,
    indexedProperties: INDEXED,
    publicUrl: () => PUBLIC_URL,
    now: () => nowMs,
  });
  logged = made.logged;
  send = async (method, pathAndQuery, body, headers = { 'lookout-auth': `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }) => {
    const request = queryRequest(method, pathAndQuery, headers);
    const raw = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
    return (await made.service.handle({ ...request, body: Buffer.from(raw) })) as Answer;
  };
});

async function created(input: object): Promise<string> {
  const answer = await send('POST', '/v1/alerts', input);
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body.id;
}

function assertError(answer: Answer, status: number, code: string, message: RegExp): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.body.error.code, code);
  assert.match(answer.body.error.message, message);
}

/** `count` requests a few seconds before now, in production unless `fields` say otherwise. */
function traffic(count: number, fields: Partial<RequestLogRecord> = {}): void {
  for (let i = 0; i < count; i++) {
    records.push(
      logRecord({ id: `r${records.length}`, createdAtMs: nowMs - i * 100, properties: { environment: 'production' }, ...fields }),
    );
  }
}
const failure = { status: 500, outcome: 'upstream_error' as const };

/** One run of the evaluator over the same stores, as the scheduled Lambda runs it. */
async function evaluate(): Promise<void> {
  const summary = await new AlertEvaluator({
    rules: async () => [...configAlerts, ...(await alerts.list())],
    states: alerts,
    rollups: new RollupsOfRecords(records, INDEXED),
    retention: DEFAULT_ROLLUP_RETENTION,
    indexedProperties: async () => INDEXED,
    delivery,
    requestsUrl: () => `${PUBLIC_URL}/dashboard/requests`,
    now: () => nowMs,
    logger: { error: (message, extra) => assert.fail(`${message} ${JSON.stringify(extra)}`) },
  }).evaluate();
  assert.equal(summary.failedRules, 0);
}

const notEvaluated = { state: 'ok', value: null, requests: null, since: null, evaluatedAt: null };

describe('/v1/alerts', () => {
  it('lists the config rules, read-only, then those made through the API by name, each with its state', async () => {
    const costId = await created(dailyCost);
    const errorsId = await created(errorRate);
    const answer = await send('GET', '/v1/alerts');
    assert.equal(answer.status, 200);
    assert.deepEqual(
      answer.body.alerts.map((rule: { id: string; name: string; readOnly: boolean; state: string }) => [
        rule.id,
        rule.name,
        rule.readOnly,
        rule.state,
      ]),
      [
        ['config:Spend', 'Spend', true, 'ok'],
        ['config:team/errors', 'team/errors', true, 'ok'],
        [costId, 'Daily cost', false, 'ok'],
        [errorsId, 'Production error rate', false, 'ok'],
      ],
    );
    assert.deepEqual(answer.body.alerts[3], { id: errorsId, source: 'api', readOnly: false, ...errorRateJson, ...notEvaluated });
  });

  it('makes a rule: 201 with its id and defaults, stored as given, then found by it', async () => {
    const answer = await send('POST', '/v1/alerts', errorRate);
    assert.equal(answer.status, 201);
    assert.match(answer.body.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(answer.body, { id: answer.body.id, source: 'api', readOnly: false, ...errorRateJson });
    assert.deepEqual(await alerts.get(answer.body.id), { ...errorRateJson, id: answer.body.id, source: 'api' });
    const found = await send('GET', `/v1/alerts/${answer.body.id}`);
    assert.deepEqual(found.body, { ...answer.body, ...notEvaluated, groups: [] });
  });

  it('refuses a rule with bad fields, naming each field, what it must be and what was sent', async () => {
    const refused = async (body: unknown, message: RegExp) =>
      assertError(await send('POST', '/v1/alerts', body), 400, 'invalid_alert', message);
    await refused({ ...errorRate, metric: 'latency' }, /^metric: must be one of requests, errors, error_rate, .*, got "latency"$/);
    await refused({ ...errorRate, windowSeconds: 10 }, /^windowSeconds: must be whole seconds from 60 to 2592000 \(30 days\), got 10$/);
    await refused({ ...errorRate, channels: {} }, /^channels: must name at least one channel \(sns, email, slack or webhook\), got \{\}$/);
    await refused(
      { ...errorRate, channels: { email: 'oncall@example.com' } },
      /^channels\.email: must be a list of e-mail addresses, got "oncall@example\.com"$/,
    );
    await refused(
      { ...errorRate, filter: { properties: { environment: 'production' }, model: 'gpt-4o' }, groupBy: 'user' },
      /^filter: names 3 dimensions with groupBy; .* two at most, got \{"properties":\{"environment":"production"\},"model":"gpt-4o"\}$/,
    );
    await refused(
      { ...errorRate, window: 600 },
      /^window: is not an alert rule field; the fields are name, metric, comparison, threshold, windowSeconds, /,
    );
    await refused(
      { ...errorRate, metric: 'cost', forecast: 'yes', threshold: 'high' },
      /^threshold: must be a number, got "high"; forecast: must be true or false, got "yes"$/,
    );
    const { windowSeconds: _, ...withoutWindow } = errorRate;
    await refused(withoutWindow, /^windowSeconds: must be whole seconds .*; it is missing$/);
    await refused([errorRate], /^must be an alert rule such as /);
    assert.equal(alerts.rules.size, 0);
  });

  it('refuses a body that is not JSON, or not sent as JSON', async () => {
    assertError(await send('POST', '/v1/alerts', '{"name":'), 400, 'invalid_alert', /^The body is not JSON: /);
    assertError(
      await send('POST', '/v1/alerts', errorRate, { 'lookout-auth': `Bearer ${ADMIN_KEY}`, 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type',
      /^Send the alert rule as JSON, with Content-Type: application\/json$/,
    );
    const id = await created(errorRate);
    assertError(
      await send('PUT', `/v1/alerts/${id}`, errorRate, { 'lookout-auth': `Bearer ${ADMIN_KEY}` }),
      415,
      'unsupported_media_type',
      /JSON/,
    );
  });

  it('keeps names unique across the config and the API', async () => {
    assertError(
      await send('POST', '/v1/alerts', { ...errorRate, name: 'Spend' }),
      409,
      'alert_name_taken',
      /^Alert rule config:Spend is named "Spend" already; each alert rule needs its own name$/,
    );
    const id = await created(errorRate);
    assertError(await send('POST', '/v1/alerts', errorRate), 409, 'alert_name_taken', new RegExp(`^Alert rule ${id} is named`));
    const other = await created(dailyCost);
    assertError(await send('PUT', `/v1/alerts/${other}`, errorRate), 409, 'alert_name_taken', /"Production error rate"/);
    assert.equal((await send('PUT', `/v1/alerts/${id}`, { ...errorRate, threshold: 10 })).status, 200, 'a rule keeps its own name');
  });

  it('refuses to change or delete a config rule (409), and shows it read-only', async () => {
    for (const answer of [await send('PUT', '/v1/alerts/config:Spend', dailyCost), await send('DELETE', '/v1/alerts/config:Spend')]) {
      assertError(
        answer,
        409,
        'alert_read_only',
        /^Alert rule config:Spend is defined in lookout\.config\.ts; change it there and deploy$/,
      );
    }
    const found = await send('GET', '/v1/alerts/config:Spend');
    assert.deepEqual([found.body.source, found.body.readOnly, found.body.threshold], ['config', true, 100]);
  });

  it('finds a config rule whose name has a slash, on every route under its id', async () => {
    assert.equal((await send('GET', '/v1/alerts/config%3Ateam%2Ferrors')).body.id, 'config:team/errors');
    assert.equal((await send('GET', '/v1/alerts/config:team/errors')).body.id, 'config:team/errors');
    assert.deepEqual((await send('GET', '/v1/alerts/config:team/errors/history')).body, { history: [] });
    assert.equal((await send('POST', '/v1/alerts/config:team/errors/test')).body.deliveries[0].channel, 'sns');
  });

  it('replaces a rule made through the API, keeping its id and its state', async () => {
    const id = await created(errorRate);
    traffic(10, failure);
    await evaluate();
    const firing = (await send('GET', `/v1/alerts/${id}`)).body;
    assert.equal(firing.state, 'firing');
    const answer = await send('PUT', `/v1/alerts/${id}`, { ...errorRate, name: 'Errors', threshold: 50 });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { id, source: 'api', readOnly: false, ...errorRateJson, name: 'Errors', threshold: 50 });
    const replaced = (await send('GET', `/v1/alerts/${id}`)).body;
    assert.deepEqual([replaced.name, replaced.threshold, replaced.state, replaced.since], ['Errors', 50, 'firing', firing.since]);
    assertError(await send('PUT', `/v1/alerts/${id}`, { ...errorRate, severity: 'page' }), 400, 'invalid_alert', /^severity: /);
  });

  it('deletes a rule made through the API: 204, then 404', async () => {
    const id = await created(errorRate);
    const answer = await send('DELETE', `/v1/alerts/${id}`);
    assert.equal(answer.status, 204);
    assert.equal(answer.body, undefined);
    assertError(await send('GET', `/v1/alerts/${id}`), 404, 'not_found', new RegExp(`^No alert rule ${id}$`));
    assertError(await send('DELETE', `/v1/alerts/${id}`), 404, 'not_found', /^No alert rule /);
  });

  it('answers 404 for an unknown rule on every route', async () => {
    assertError(await send('GET', '/v1/alerts/nope'), 404, 'not_found', /^No alert rule nope$/);
    assertError(await send('PUT', '/v1/alerts/nope', errorRate), 404, 'not_found', /^No alert rule nope$/);
    assertError(await send('DELETE', '/v1/alerts/nope'), 404, 'not_found', /^No alert rule nope$/);
    assertError(await send('GET', '/v1/alerts/nope/history'), 404, 'not_found', /^No alert rule nope$/);
    assertError(await send('POST', '/v1/alerts/nope/test'), 404, 'not_found', /^No alert rule nope$/);
    assert.equal(delivery.sent.length, 0);
  });

  it('answers 405 with Allow for a method no alert route has', async () => {
    assert.equal((await send('PATCH', '/v1/alerts/abc', errorRate)).headers.allow, 'GET, PUT, DELETE');
    assert.equal((await send('DELETE', '/v1/alerts')).headers.allow, 'GET, POST');
  });

  it('needs an admin key on every route: 401 without a key, 403 with an app key, before the body is read', async () => {
    const routes: [string, string][] = [
      ['GET', '/v1/alerts'],
      ['POST', '/v1/alerts'],
      ['GET', '/v1/alerts/config:Spend'],
      ['PUT', '/v1/alerts/config:Spend'],
      ['DELETE', '/v1/alerts/config:Spend'],
      ['GET', '/v1/alerts/config:Spend/history'],
      ['POST', '/v1/alerts/config:Spend/test'],
    ];
    for (const [method, path] of routes) {
      const withAppKey = await send(method, path, 'not json', {
        'lookout-auth': `Bearer ${QUERY_APP_KEY}`,
        'content-type': 'application/json',
      });
      assert.equal(withAppKey.status, 403, `${method} ${path}`);
      assert.equal((await send(method, path, errorRate, {})).status, 401, `${method} ${path}`);
    }
    assert.equal(alerts.rules.size, 0);
    assert.equal(delivery.sent.length, 0);
  });
});

describe('/v1/alerts/{id}: where a rule stands', () => {
  it('gives the state the evaluator wrote: firing with its value, requests and the breach start, then resolved', async () => {
    const id = await created(errorRate);
    traffic(18);
    traffic(2, failure);
    await evaluate();
    const firing = (await send('GET', `/v1/alerts/${id}`)).body;
    const triggeredAt = new Date(nowMs).toISOString();
    assert.deepEqual(
      { state: firing.state, value: firing.value, requests: firing.requests, since: firing.since, evaluatedAt: firing.evaluatedAt },
      { state: 'firing', value: 10, requests: 20, since: triggeredAt, evaluatedAt: triggeredAt },
    );
    assert.deepEqual(firing.groups, []);
    nowMs += 16 * MINUTE;
    await evaluate();
    const resolved = (await send('GET', `/v1/alerts/${id}`)).body;
    assert.deepEqual(
      [resolved.state, resolved.value, resolved.requests, resolved.since, resolved.evaluatedAt],
      ['resolved', null, 0, triggeredAt, new Date(nowMs).toISOString()],
    );
    const listed = (await send('GET', '/v1/alerts')).body.alerts.find((rule: { id: string }) => rule.id === id);
    assert.equal(listed.state, 'resolved');
    assert.equal(listed.groups, undefined, 'the list leaves the groups out');
  });

  it('gives each group of a rule with groupBy, the worst firing first, and sums them up by the worst', async () => {
    const id = await created({ ...errorRate, name: 'Errors per user', groupBy: 'user', minRequests: 5 });
    traffic(30, { userId: 'alice' });
    traffic(5, { ...failure, userId: 'mallory' });
    traffic(5, { userId: 'mallory' });
    traffic(4, { ...failure, userId: 'bob' });
    traffic(6, { userId: 'bob' });
    await evaluate();
    const detail = (await send('GET', `/v1/alerts/${id}`)).body;
    const at = new Date(nowMs).toISOString();
    assert.deepEqual(detail.groups, [
      { group: 'mallory', state: 'firing', value: 50, requests: 10, since: at, evaluatedAt: at },
      { group: 'bob', state: 'firing', value: 40, requests: 10, since: at, evaluatedAt: at },
    ]);
    assert.deepEqual([detail.state, detail.value, detail.requests, detail.since], ['firing', 50, 10, at]);

    nowMs += 16 * MINUTE;
    await evaluate();
    const quiet = (await send('GET', `/v1/alerts/${id}`)).body;
    assert.deepEqual(
      quiet.groups.map((group: { group: string; state: string }) => [group.group, group.state]),
      [
        ['bob', 'resolved'],
        ['mallory', 'resolved'],
      ],
    );
    assert.deepEqual([quiet.state, quiet.value, quiet.requests, quiet.since, quiet.evaluatedAt], ['resolved', null, null, null, null]);
  });
});

describe('/v1/alerts/{id}/history', () => {
  it('lists transitions and deliveries newest first, with ISO times, as many as limit asks', async () => {
    const id = await created(errorRate);
    traffic(10, failure);
    await evaluate();
    const triggeredAt = new Date(nowMs).toISOString();
    nowMs += 16 * MINUTE;
    await evaluate();
    const resolvedAt = new Date(nowMs).toISOString();
    const { history } = (await send('GET', `/v1/alerts/${id}/history`)).body;
    // One evaluation's lines share its time; the table orders those among themselves at random.
    const lines = history.map(
      (entry: { at: string; type: string; kind: string; channel?: string }) => `${entry.at} ${entry.kind} ${entry.channel ?? entry.type}`,
    );
    assert.deepEqual(lines.slice(0, 3).sort(), [
      `${resolvedAt} resolved email`,
      `${resolvedAt} resolved slack`,
      `${resolvedAt} resolved transition`,
    ]);
    assert.deepEqual(lines.slice(3).sort(), [
      `${triggeredAt} triggered email`,
      `${triggeredAt} triggered slack`,
      `${triggeredAt} triggered transition`,
    ]);
    const transition = history.find((entry: { type: string; kind: string }) => entry.type === 'transition' && entry.kind === 'triggered');
    assert.deepEqual(transition, {
      type: 'transition',
      at: triggeredAt,
      group: null,
      kind: 'triggered',
      status: 'firing',
      value: 100,
      requests: 10,
    });

    assert.equal((await send('GET', `/v1/alerts/${id}/history?limit=2`)).body.history.length, 2);
    assertError(
      await send('GET', `/v1/alerts/${id}/history?limit=501`),
      400,
      'invalid_parameter',
      /^limit must be an integer from 1 to 500/,
    );
    assertError(await send('GET', `/v1/alerts/${id}/history?since=1`), 400, 'invalid_parameter', /^since is not a parameter/);
  });
});

describe('/v1/alerts/{id}/test', () => {
  it("sends a test notification to every channel with the rule's figures now, and records each delivery", async () => {
    const id = await created(errorRate);
    traffic(15, { userId: 'alice' });
    traffic(5, { ...failure, userId: 'mallory', properties: { environment: 'production', feature: 'export' } });
    traffic(20, { ...failure, properties: { environment: 'staging' } });
    const answer = await send('POST', `/v1/alerts/${id}/test`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, {
      deliveries: [
        { channel: 'email', outcome: 'delivered', attempts: 1 },
        { channel: 'slack', outcome: 'delivered', attempts: 1 },
      ],
    });

    assert.equal(delivery.sent.length, 1);
    const { rule, notification } = delivery.sent[0]!;
    assert.equal(rule.id, id);
    assert.deepEqual(
      [notification.kind, notification.ruleName, notification.value, notification.requests, notification.unit, notification.group],
      ['test', 'Production error rate', 25, 20, 'percent', null],
    );
    assert.equal(notification.evaluatedAt, new Date(nowMs).toISOString());
    assert.equal(notification.contributors.find((c) => c.by === 'user')!.top[0]!.value, 'mallory');
    assert.equal(notification.contributors.find((c) => c.by === 'property:feature')!.top[0]!.value, 'export');
    const link = new URL(notification.requestsUrl);
    assert.equal(`${link.origin}${link.pathname}`, `${PUBLIC_URL}/dashboard/requests`);
    assert.deepEqual(
      [link.searchParams.get('property.environment'), link.searchParams.get('status'), link.searchParams.get('to')],
      ['production', 'error', '2026-03-01T12:01:00.000Z'],
    );

    const { history } = (await send('GET', `/v1/alerts/${id}/history`)).body;
    assert.deepEqual(
      history.map((entry: { type: string; kind: string; channel: string; outcome: string }) => [
        entry.type,
        entry.kind,
        entry.channel,
        entry.outcome,
      ]),
      [
        ['delivery', 'test', 'email', 'delivered'],
        ['delivery', 'test', 'slack', 'delivered'],
      ],
    );
    assert.deepEqual((await send('GET', `/v1/alerts/${id}`)).body.state, 'ok', 'a test leaves the state alone');
  });

  it('reports a failing channel in the answer and the history, and still sends the others', async () => {
    const id = await created(errorRate);
    delivery.failing.set('email', 'SES refused the message: Email address is not verified');
    const answer = await send('POST', `/v1/alerts/${id}/test`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.deliveries, [
      { channel: 'email', outcome: 'failed', attempts: 3, error: 'SES refused the message: Email address is not verified' },
      { channel: 'slack', outcome: 'delivered', attempts: 1 },
    ]);
    const failed = (await send('GET', `/v1/alerts/${id}/history`)).body.history.find(
      (entry: { outcome: string }) => entry.outcome === 'failed',
    );
    assert.match(failed.error, /not verified/);
    assert.deepEqual(logged, []);
  });

  it('reads a rule with groupBy as a whole, and sends a disabled rule too', async () => {
    const id = await created({ ...errorRate, name: 'Per user, off', groupBy: 'user', enabled: false });
    traffic(3, { ...failure, userId: 'alice' });
    traffic(1, { userId: 'bob' });
    assert.equal((await send('POST', `/v1/alerts/${id}/test`)).status, 200);
    const { notification } = delivery.sent[0]!;
    assert.deepEqual([notification.group, notification.value, notification.requests], [null, 75, 4]);
  });
});
