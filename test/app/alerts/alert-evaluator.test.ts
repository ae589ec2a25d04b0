/**
 * The evaluator over in-memory rollups with an injectable clock: the guide's three alerts trigger
 * and resolve on synthetic traffic, rules keep to their scope, a split gives one alert per user,
 * overlapping runs notify once, and a failing channel neither blocks the others nor goes unrecorded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlertEvaluator, type AlertDelivery } from '../../../lambdas/app/alerts/alert-evaluator.js';
import { ChannelDelivery } from '../../../lambdas/app/alerts/channel-delivery.js';
import { alertRuleInputSchema, type AlertRule, type AlertRuleInput } from '../../../lambdas/contract/alert-rule.js';
import type { AlertNotification } from '../../../lambdas/core/alerts/alert-notification.js';
import type { AlertHistoryEntry } from '../../../lambdas/core/ports/alert-store.js';
import { dimensionValues, rollupDimensions } from '../../../lambdas/core/rollups/rollup-dimensions.js';
import type { RequestLogRecord } from '../../../lambdas/core/request-log/request-log-record.js';
import { InMemoryAlerts } from '../../support/in-memory-alerts.js';
import { InMemoryRollups } from '../../support/in-memory-rollups.js';
import { logRecord } from '../../support/request-log-records.js';

const MINUTE = 60_000;
const INDEXED = ['environment', 'feature'];
const RETENTION = { minute: 2, hour: 90, day: 730 };

/** The guide's step 2, as rules. */
const GUIDE: Record<string, AlertRuleInput> = {
  errorRate: alertRuleInputSchema.parse({
    name: 'Production error rate',
    metric: 'error_rate',
    threshold: 5,
    windowSeconds: 600,
    minRequests: 10,
    filter: { properties: { environment: 'production' } },
    severity: 'critical',
    channels: { slack: true, email: ['oncall@example.com'] },
  }),
  dailyCost: alertRuleInputSchema.parse({
    name: 'Daily cost',
    metric: 'cost',
    threshold: 100,
    windowSeconds: 86_400,
    filter: { properties: { environment: 'production' } },
    channels: { email: ['finance@example.com'], slack: true },
  }),
  slowResponses: alertRuleInputSchema.parse({
    name: 'Slow responses',
    metric: 'latency_p95',
    threshold: 10_000,
    windowSeconds: 1_800,
    minRequests: 20,
    filter: { properties: { environment: 'production' } },
    channels: { slack: true },
  }),
};

class Harness {
  readonly rollups = new InMemoryRollups();
  readonly alerts = new InMemoryAlerts();
  readonly sent: AlertNotification[] = [];
  nowMs = Date.parse('2026-12-01T12:00:30Z');
  private n = 0;

  constructor(
    readonly rules: AlertRule[],
    private readonly delivery: AlertDelivery = {
      deliver: async (_rule, notification) => {
        this.sent.push(notification);
        return [];
      },
    },
  ) {}

  evaluator(): AlertEvaluator {
    return new AlertEvaluator({
      rules: async () => this.rules,
      states: this.alerts,
      rollups: this.rollups,
      retention: RETENTION,
      indexedProperties: async () => INDEXED,
      delivery: this.delivery,
      requestsUrl: () => 'http://127.0.0.1:8787/dashboard/requests?status=error',
      now: () => this.nowMs,
      logger: { error: (message, extra) => assert.fail(`${message} ${JSON.stringify(extra)}`) },
    });
  }

  /** `count` requests now, a few seconds apart. */
  traffic(count: number, fields: Partial<RequestLogRecord> = {}): void {
    for (let i = 0; i < count; i++) {
      const sample = logRecord({
        id: `r${this.n++}`,
        createdAtMs: this.nowMs - i * 100,
        properties: { environment: 'production' },
        ...fields,
      });
      this.rollups.addRequest(sample, dimensionValues(sample, rollupDimensions(INDEXED)));
    }
  }

  async tick(minutes = 1): Promise<string[]> {
    this.nowMs += minutes * MINUTE;
    const before = this.sent.length;
    await this.evaluator().evaluate();
    return this.sent.slice(before).map((n) => `${n.ruleName}: ${n.kind}${n.group ? ` (${n.group.value})` : ''}`);
  }
}

function rule(input: AlertRuleInput, id = `config:${input.name}`): AlertRule {
  return { ...input, id, source: 'config' };
}

const failure = { status: 500, outcome: 'upstream_error' as const };

describe("the guide's three alerts", () => {
  it('error rate over 5% in 10 minutes (at least 10 requests) triggers, then resolves once the errors stop', async () => {
    const h = new Harness([rule(GUIDE.errorRate!)]);
    h.traffic(18);
    h.traffic(2, failure);
    assert.deepEqual(await h.tick(0), ['Production error rate: triggered']);
    assert.deepEqual(await h.tick(0), [], 'firing, not notified again');
    const [notification] = h.sent;
    assert.equal(notification!.value, 10);
    assert.equal(notification!.requests, 20);
    assert.equal(notification!.unit, 'percent');
    assert.equal(notification!.severity, 'critical');
    // Healthy traffic takes the rate under 5%; the alert holds for resolveAfterSeconds (5 minutes) first.
    h.traffic(200);
    assert.deepEqual(await h.tick(1), [], 'below the threshold, but not for 5 minutes yet');
    assert.deepEqual(await h.tick(3), []);
    assert.deepEqual(await h.tick(2), ['Production error rate: resolved']);
  });

  it('daily cost over $100 triggers on the spend, and resolves when the day has passed', async () => {
    const h = new Harness([rule(GUIDE.dailyCost!)]);
    h.traffic(3, { costNanoUsd: 30_000_000_000 });
    assert.deepEqual(await h.tick(0), []);
    h.traffic(1, { costNanoUsd: 30_000_000_000 });
    assert.deepEqual(await h.tick(), ['Daily cost: triggered']);
    assert.equal(h.sent[0]!.value, 120);
    assert.equal(h.sent[0]!.unit, 'usd');
    assert.deepEqual(await h.tick(24 * 60 + 10), ['Daily cost: resolved']);
  });

  it('with forecast, warns when the spend of the day so far projects past $100, long before it is spent', async () => {
    const forecast = rule(alertRuleInputSchema.parse({ ...GUIDE.dailyCost, name: 'Daily cost forecast', forecast: true }));
    const h = new Harness([forecast]);
    h.nowMs = Date.parse('2026-12-01T06:00:00Z');
    h.traffic(2, { costNanoUsd: 10_000_000_000 });
    assert.deepEqual(await h.tick(0), [], '$20 by 06:00 projects to $80');
    h.traffic(1, { costNanoUsd: 10_000_000_000 });
    assert.deepEqual(await h.tick(0), ['Daily cost forecast: triggered']);
    assert.equal(h.sent[0]!.forecast, true);
    assert.equal(h.sent[0]!.value, 120, '$30 in a quarter of the day projects to $120');
  });

  it('p95 latency over 10 s in 30 minutes (at least 20 requests) triggers, and not below minRequests', async () => {
    const h = new Harness([rule(GUIDE.slowResponses!)]);
    h.traffic(19, { latencyMs: 25_000 });
    assert.deepEqual(await h.tick(0), [], '19 requests are below minRequests');
    h.traffic(1, { latencyMs: 25_000 });
    assert.deepEqual(await h.tick(0), ['Slow responses: triggered']);
    assert.ok(Math.abs(h.sent[0]!.value! - 25_000) <= 250, "p95 within the histogram's 1%");
    assert.deepEqual(await h.tick(36), ['Slow responses: resolved']);
  });
});

describe('scoping', () => {
  it('never triggers on traffic outside the filter', async () => {
    const h = new Harness([rule(GUIDE.errorRate!)]);
    h.traffic(50, { ...failure, properties: { environment: 'staging' } });
    h.traffic(20);
    assert.deepEqual(await h.tick(0), []);
  });

  it('gives one alert per user with groupBy, and names the user who caused it among the top contributors', async () => {
    const perUser = rule(alertRuleInputSchema.parse({ ...GUIDE.errorRate, name: 'Errors per user', groupBy: 'user', minRequests: 5 }));
    const h = new Harness([perUser, rule(GUIDE.errorRate!)]);
    h.traffic(30, { userId: 'alice' });
    h.traffic(6, { ...failure, userId: 'mallory', properties: { environment: 'production', feature: 'export' } });
    h.traffic(4, { userId: 'mallory', properties: { environment: 'production', feature: 'export' } });
    h.traffic(1, { ...failure, userId: 'bob' });
    const sent = await h.tick(0);
    assert.deepEqual(sent.sort(), ['Errors per user: triggered (mallory)', 'Production error rate: triggered']);
    const overall = h.sent.find((n) => n.ruleName === 'Production error rate')!;
    const users = overall.contributors.find((c) => c.by === 'user')!;
    assert.equal(users.top[0]!.value, 'mallory');
    const features = overall.contributors.find((c) => c.by === 'property:feature')!;
    assert.equal(features.top[0]!.value, 'export');
  });
});

describe('reliability', () => {
  it('notifies once when two evaluator runs overlap', async () => {
    const h = new Harness([rule(GUIDE.errorRate!)]);
    h.traffic(10, failure);
    await Promise.all([h.evaluator().evaluate(), h.evaluator().evaluate(), h.evaluator().evaluate()]);
    assert.equal(h.sent.length, 1);
  });

  it('records a failing channel, retries it, and still delivers the others', async () => {
    const posts: string[] = [];
    let slackFailures = 2;
    const delivery = new ChannelDelivery({
      topic: null,
      mailer: { send: async (email) => void posts.push(`email ${email.to.join()}`) },
      poster: {
        post: async (url) => {
          if (url.includes('slack') && slackFailures-- > 0) throw new Error('slack answered 500');
          posts.push(`post ${url}`);
        },
      },
      secrets: null,
      defaultSlackWebhook: async () => 'http://127.0.0.1:1/slack',
      webhookSigningKey: async () => 'signing-key',
      retryDelaysMs: [1, 1],
      sleep: async () => {},
      now: () => 0,
    });
    const everything = rule(
      alertRuleInputSchema.parse({
        ...GUIDE.errorRate,
        name: 'Everywhere',
        channels: { sns: true, email: ['a@example.com'], slack: true, webhook: 'http://127.0.0.1:2/hook' },
      }),
    );
    const h = new Harness([everything], delivery);
    h.traffic(10, failure);
    await h.evaluator().evaluate();
    const history = h.alerts.history.get(everything.id)!;
    const deliveries = history.filter((e): e is Extract<AlertHistoryEntry, { type: 'delivery' }> => e.type === 'delivery');
    assert.deepEqual(deliveries.map((d) => [d.channel, d.outcome, d.attempts]).sort(), [
      ['email', 'delivered', 1],
      ['slack', 'delivered', 3],
      ['sns', 'recorded', 1],
      ['webhook', 'delivered', 1],
    ]);
    assert.match(deliveries.find((d) => d.channel === 'sns')!.message!, /Everywhere/);
    assert.ok(history.some((e) => e.type === 'transition' && e.kind === 'triggered'));
    assert.deepEqual(posts.sort(), ['email a@example.com', 'post http://127.0.0.1:1/slack', 'post http://127.0.0.1:2/hook']);
  });

  it('records a channel that keeps failing as failed after its retries', async () => {
    const delivery = new ChannelDelivery({
      topic: null,
      mailer: null,
      poster: {
        post: async () => {
          throw new Error('connection refused');
        },
      },
      secrets: null,
      defaultSlackWebhook: async () => null,
      webhookSigningKey: async () => 'k',
      retryDelaysMs: [1, 1],
      sleep: async () => {},
      now: () => 0,
    });
    const r = rule(
      alertRuleInputSchema.parse({
        ...GUIDE.errorRate,
        name: 'Broken',
        channels: { email: ['x@example.com'], slack: true, webhook: 'https://hooks.example.com/x' },
      }),
    );
    const entries = await delivery.deliver(r, { kind: 'test', group: null } as AlertNotification);
    assert.deepEqual(
      entries.map((e) => e.type === 'delivery' && [e.channel, e.outcome, e.attempts]),
      [
        ['email', 'failed', 1],
        ['slack', 'failed', 1],
        ['webhook', 'failed', 3],
      ],
    );
  });
});

describe('a rule whose shape changed', () => {
  it('ignores the states of its old shape once it gains a groupBy', async () => {
    const h = new Harness([rule(GUIDE.errorRate!)]);
    h.traffic(10, failure);
    assert.deepEqual(await h.tick(0), ['Production error rate: triggered']);
    h.rules[0] = rule(alertRuleInputSchema.parse({ ...GUIDE.errorRate, groupBy: 'user', minRequests: 1 }));
    h.traffic(3, { ...failure, userId: 'mallory' });
    // The earlier failures had no user id: they are the null group's.
    assert.deepEqual((await h.tick(1)).sort(), ['Production error rate: triggered (mallory)', 'Production error rate: triggered (null)']);
  });
});
