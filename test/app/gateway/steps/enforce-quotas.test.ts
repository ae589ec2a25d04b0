/**
 * The quota step inside the real pipeline, with in-memory fakes: a scripted upstream that
 * counts its calls, in-memory counters (the stores' own sub-window rule) and quota store, the
 * request-log sink. The stores themselves are tested against Redis and DynamoDB Local in
 * test/adapters, and the whole path end to end in test/e2e/quotas.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGatewayPipeline } from '../../../../lambdas/app/gateway/gateway-pipeline.js';
import type { QuotaInput } from '../../../../lambdas/contract/quota-definition.js';
import type { RuntimeConfigInput } from '../../../../lambdas/contract/runtime-config-schema.js';
import type { HttpRequest } from '../../../../lambdas/core/http/http-request.js';
import { QuotaCounterContentionError } from '../../../../lambdas/core/ports/quota-counters.js';
import { quotaCounterKey } from '../../../../lambdas/core/quota/counter-keys.js';
import {
  FakeAuthenticator,
  httpRequest,
  readAll,
  RecordingLogger,
  RequestLogSink,
  ScriptedUpstream,
  testConfig,
  type ScriptedUpstreamAnswer,
  RecordingGatewayMetrics,
} from '../../../support/gateway-fakes.js';
import { InMemoryQuotaCounters } from '../../../support/in-memory-quota-counters.js';
import { InMemoryQuotaStore } from '../../../support/in-memory-quota-store.js';
import { InMemoryResponseCache } from '../../../support/in-memory-response-cache.js';

const usage = { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 };
const chatAnswer = JSON.stringify({ id: 'c1', model: 'gpt-4o-mini-2024-07-18', choices: [], usage });

function gateway(options: { answer?: ScriptedUpstreamAnswer; config?: Partial<RuntimeConfigInput>; now?: () => number } = {}) {
  const upstream = new ScriptedUpstream(options.answer ?? { chunks: [chatAnswer] });
  const counters = new InMemoryQuotaCounters();
  const apiQuotas = new InMemoryQuotaStore();
  const sink = new RequestLogSink();
  const logger = new RecordingLogger();
  let ids = 0;
  const handle = createGatewayPipeline({
    config: testConfig({ quotaTimeoutMs: 20, ...options.config }),
    authenticator: new FakeAuthenticator(),
    upstream,
    responseCache: new InMemoryResponseCache(),
    quotaCounters: counters,
    apiQuotas,
    recordRequest: sink.recordRequest,
    metrics: new RecordingGatewayMetrics(),
    logger,
    newRequestId: () => `req-${++ids}`,
    now: options.now ?? Date.now,
    random: Math.random,
  });
  const send = async (request: HttpRequest) => {
    const handled = await handle(request);
    const body = (await readAll(handled.response.body)).toString();
    await handled.afterResponse;
    return { status: handled.response.statusCode, headers: handled.response.headers, body, json: () => JSON.parse(body) };
  };
  return { upstream, counters, apiQuotas, sink, logger, send };
}

const chat = (headers: Record<string, string> = {}, body?: object) =>
  httpRequest({ headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

const quota = (overrides: Partial<QuotaInput> = {}): QuotaInput => ({
  name: 'per-user-requests',
  unit: 'requests',
  limit: 2,
  windowSeconds: 60,
  scope: 'user',
  ...overrides,
});

describe('enforce-quotas step', () => {
  it('leaves a request no quota or policy applies to alone', async () => {
    const { send, counters } = gateway({ config: { quotas: [quota()] } });
    const answer = await send(chat());
    assert.equal(answer.status, 200, 'a user quota does not apply to a request without a user');
    assert.equal(answer.headers['lookout-ratelimit-limit'], undefined);
    assert.equal(counters.counters.size, 0);
  });

  it('lets exactly 5 of 20 concurrent requests through a 5;w=60;s=user policy, the rest 429 before the provider', async () => {
    const { send, upstream, sink } = gateway();
    const headers = { 'helicone-ratelimit-policy': '5;w=60;s=user', 'helicone-user-id': 'alice' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => send(chat(headers))));
    assert.equal(answers.filter((a) => a.status === 200).length, 5);
    const refused = answers.filter((a) => a.status === 429);
    assert.equal(refused.length, 15);
    assert.equal(upstream.requests.length, 5);
    const [first] = refused;
    assert.equal(first?.json().error.code, 'rate_limited');
    assert.match(first?.json().error.message, /alice/);
    assert.ok(Number(first?.headers['retry-after']) >= 1);
    assert.equal(first?.headers['helicone-ratelimit-remaining'], '0');
    assert.equal(first?.headers['helicone-ratelimit-policy'], '5;w=60;u=request;s=user');
    const logged = sink.logged.map((l) => l.record).filter((r) => r.rateLimited);
    assert.equal(logged.length, 15);
    assert.equal(logged[0]?.rateLimitedBy, '5;w=60;u=request;s=user');
    assert.equal(logged[0]?.errorCode, 'rate_limited');
    const other = await send(chat({ ...headers, 'helicone-user-id': 'bob' }));
    assert.equal(other.status, 200, 'another user has a counter of their own');
  });

  it('answers the granted request with its limit headers', async () => {
    const { send } = gateway();
    const answer = await send(chat({ 'lookout-ratelimit-policy': '3;w=60', 'lookout-user-id': 'alice' }));
    assert.equal(answer.headers['lookout-ratelimit-limit'], '3');
    assert.equal(answer.headers['lookout-ratelimit-remaining'], '2');
    assert.equal(answer.headers['helicone-ratelimit-limit'], '3');
  });

  it('is a 400 naming the header when the policy segment is missing on the request', async () => {
    const { send, upstream } = gateway();
    const answer = await send(chat({ 'helicone-ratelimit-policy': '5;w=60;s=organization' }));
    assert.equal(answer.status, 400);
    assert.match(answer.json().error.message, /^Helicone-RateLimit-Policy/i);
    assert.equal(upstream.requests.length, 0);
  });

  it('reserves the worst case of a usd quota and settles to the logged cost', async () => {
    const { send, counters, sink } = gateway({
      config: { quotas: [quota({ name: 'daily-usd', unit: 'usd', limit: 1, windowSeconds: 86_400 })] },
    });
    const answer = await send(
      chat({ 'helicone-user-id': 'alice' }, { model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }] }),
    );
    assert.equal(answer.status, 200);
    const cost = sink.logged[0]?.record.costNanoUsd ?? 0;
    assert.ok(cost > 0);
    const [settled] = counters.settles;
    assert.ok((settled?.reservation.amount ?? 0) >= cost, 'the reservation bounds the real cost');
    assert.equal(settled?.actual, cost);
    const now = await counters.read({ counterKey: quotaCounterKey('config:daily-usd', 'alice'), windowSeconds: 86_400 }, Date.now());
    assert.deepEqual([now.used, now.reserved], [cost, 0]);
  });

  it('settles 0 for an upstream 500, but still counts the request for a request limit', async () => {
    const { send, counters } = gateway({
      answer: { status: 500, chunks: ['{"error":{"message":"boom"}}'] },
      config: { quotas: [quota({ name: 'usd', unit: 'usd', limit: 1 }), quota({ name: 'count', limit: 10 })] },
    });
    await send(chat({ 'helicone-user-id': 'alice' }));
    const usd = await counters.read({ counterKey: quotaCounterKey('config:usd', 'alice'), windowSeconds: 60 }, Date.now());
    const count = await counters.read({ counterKey: quotaCounterKey('config:count', 'alice'), windowSeconds: 60 }, Date.now());
    assert.deepEqual([usd.used, usd.reserved], [0, 0]);
    assert.deepEqual([count.used, count.reserved], [1, 0]);
  });

  it('checks every quota that applies, and the most restrictive refuses: a key quota caps all users, a tier quota only its tier', async () => {
    const { send } = gateway({
      config: {
        quotas: [
          quota({ name: 'key-cap', scope: 'key', limit: 3 }),
          quota({ name: 'free-tier', limit: 1, match: { properties: { tier: 'free' } } }),
        ],
      },
    });
    const free = { 'helicone-user-id': 'f1', 'helicone-property-tier': 'free' };
    assert.equal((await send(chat(free))).status, 200);
    const second = await send(chat(free));
    assert.equal(second.status, 429);
    assert.match(second.json().error.message, /free-tier/);
    assert.equal(second.json().error.code, 'quota_exceeded');
    assert.equal((await send(chat({ 'helicone-user-id': 'p1', 'helicone-property-tier': 'pro' }))).status, 200);
    assert.equal((await send(chat({ 'helicone-user-id': 'p2', 'helicone-property-tier': 'pro' }))).status, 200);
    const capped = await send(chat({ 'helicone-user-id': 'p3', 'helicone-property-tier': 'pro' }));
    assert.equal(capped.status, 429);
    assert.match(capped.json().error.message, /key-cap/);
  });

  it('combines a tier quota with a user policy: the tighter one refuses, each counting on its own', async () => {
    const { send } = gateway({ config: { quotas: [quota({ name: 'free-tier', limit: 3, match: { properties: { tier: 'free' } } })] } });
    const headers = { 'helicone-user-id': 'f1', 'helicone-property-tier': 'free', 'helicone-ratelimit-policy': '2;w=60;s=user' };
    assert.equal((await send(chat(headers))).status, 200);
    const second = await send(chat(headers));
    assert.equal(second.status, 200);
    assert.equal(second.headers['lookout-ratelimit-remaining'], '0', 'the policy, with nothing left, is the most restrictive');
    const third = await send(chat(headers));
    assert.equal(third.status, 429);
    assert.equal(third.json().error.code, 'rate_limited');
    const withoutPolicy = await send(chat({ 'helicone-user-id': 'f1', 'helicone-property-tier': 'free' }));
    assert.equal(withoutPolicy.status, 200, 'the tier quota had room for a third request');
    const fourth = await send(chat({ 'helicone-user-id': 'f1', 'helicone-property-tier': 'free' }));
    assert.equal(fourth.status, 429);
    assert.equal(fourth.json().error.code, 'quota_exceeded');
  });

  it('releases the reservations a refusal leaves granted', async () => {
    const { send, counters } = gateway({ config: { quotas: [quota({ name: 'roomy', limit: 100 }), quota({ name: 'tight', limit: 1 })] } });
    await send(chat({ 'helicone-user-id': 'alice' }));
    assert.equal((await send(chat({ 'helicone-user-id': 'alice' }))).status, 429);
    const roomy = await counters.read({ counterKey: quotaCounterKey('config:roomy', 'alice'), windowSeconds: 60 }, Date.now());
    assert.deepEqual([roomy.used, roomy.reserved], [1, 0], 'the refused request is not counted by the quota that had room');
  });

  it('applies quotas made through the API', async () => {
    const { send, apiQuotas } = gateway();
    apiQuotas.quotas.set('q1', { ...quota({ name: 'from-api', limit: 1 }), id: 'q1', source: 'api' });
    assert.equal((await send(chat({ 'helicone-user-id': 'alice' }))).status, 200);
    const refused = await send(chat({ 'helicone-user-id': 'alice' }));
    assert.equal(refused.status, 429);
    assert.match(refused.json().error.message, /from-api/);
  });

  it('refuses an unpriced model under a usd quota, unless the config allows it', async () => {
    const usdQuota = quota({ name: 'usd', unit: 'usd', limit: 1 });
    const body = { model: 'my-own-model', messages: [] };
    const strict = gateway({ config: { quotas: [usdQuota] } });
    const refused = await strict.send(chat({ 'helicone-user-id': 'alice' }, body));
    assert.equal(refused.status, 429);
    assert.equal(refused.json().error.code, 'quota_unpriced_model');
    assert.equal(strict.upstream.requests.length, 0);
    const lenient = gateway({ config: { quotas: [usdQuota], quotaAllowUnpricedModels: true } });
    assert.equal((await lenient.send(chat({ 'helicone-user-id': 'alice' }, body))).status, 200);
  });

  it('fails open by default when the counters are down or stuck, logging the burst once', async () => {
    const { send, counters, upstream, logger } = gateway({ config: { quotas: [quota()] } });
    counters.failWith = new Error('ECONNREFUSED');
    assert.equal((await send(chat({ 'helicone-user-id': 'alice' }))).status, 200);
    counters.failWith = null;
    counters.hang = true;
    assert.equal((await send(chat({ 'helicone-user-id': 'alice' }))).status, 200);
    assert.equal(upstream.requests.length, 2);
    assert.equal(logger.lines.filter((l) => l.message.startsWith('quota counters failed')).length, 1);
  });

  it('fails closed with a 503 when configured so, before the provider', async () => {
    const { send, counters, upstream } = gateway({ config: { quotas: [quota()], quotaStoreFailure: 'closed' } });
    counters.failWith = new Error('ECONNREFUSED');
    const answer = await send(chat({ 'helicone-user-id': 'alice' }));
    assert.equal(answer.status, 503);
    assert.equal(answer.json().error.code, 'quota_store_unavailable');
    assert.equal(upstream.requests.length, 0);
  });

  it('refuses with a 429 quota_contended, never unchecked, when the store is reached but too contended to reserve', async () => {
    const { send, counters, upstream } = gateway({ config: { quotas: [quota()] } });
    counters.failWith = new QuotaCounterContentionError('q:x', 10);
    const answer = await send(chat({ 'helicone-user-id': 'alice' }));
    assert.equal(answer.status, 429);
    assert.equal(answer.json().error.code, 'quota_contended');
    assert.equal(answer.headers['retry-after'], '1');
    assert.equal(upstream.requests.length, 0, 'fail-open is for a store that cannot be reached, not for one under load');
  });

  it('never counts a cache hit', async () => {
    const { send, counters, upstream } = gateway({ config: { quotas: [quota({ limit: 1 })] } });
    const cached = { 'helicone-user-id': 'alice', 'helicone-cache-enabled': 'true' };
    assert.equal((await send(chat(cached))).status, 200);
    const hit = await send(chat(cached));
    assert.equal(hit.status, 200);
    assert.equal(hit.headers['helicone-cache'], 'HIT');
    assert.equal(upstream.requests.length, 1);
    const count = await counters.read({ counterKey: quotaCounterKey('config:per-user-requests', 'alice'), windowSeconds: 60 }, Date.now());
    assert.equal(count.used, 1);
  });

  it('frees the window as it slides', async () => {
    let nowMs = Date.UTC(2026, 11, 1, 12);
    const { send } = gateway({ config: { quotas: [quota({ limit: 1, windowSeconds: 60 })] }, now: () => nowMs });
    assert.equal((await send(chat({ 'helicone-user-id': 'alice' }))).status, 200);
    assert.equal((await send(chat({ 'helicone-user-id': 'alice' }))).status, 429);
    nowMs += 61_000;
    assert.equal((await send(chat({ 'helicone-user-id': 'alice' }))).status, 200);
  });
});
