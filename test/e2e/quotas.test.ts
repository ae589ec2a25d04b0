/**
 * Quotas and `RateLimit-Policy` end to end, on both counter stores: the official OpenAI SDK
 * talks to the local stack (counters in DynamoDB Local, or in a real redis-server), which talks
 * to the loopback mock provider. The guarantee under test: what a window counts never goes past
 * its limit, however many requests run at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';
import { RedisServer } from '../support/redis-server.js';

const PROVIDER_SECRET = 'sk-provider-secret';

for (const backend of ['dynamodb', 'redis'] as const) {
  describe(`quotas with the counters on ${backend}`, () => {
    let fx: StackFixture;
    let redis: RedisServer | undefined;
    let appKey: string;
    let adminKey: string;
    let run = 0;

    before(async () => {
      redis = backend === 'redis' ? await RedisServer.start() : undefined;
      // quotaTimeoutMs: DynamoDB Local serialises conditional writes to one counter; 50 of them
      // at once take longer than the 500 ms default on two shared cores. keyCacheTtlMs 0: a quota
      // made through the API applies to the next request.
      fx = await startStackFixture({ quotaTimeoutMs: 10_000, keyCacheTtlMs: 0 }, redis ? { redisUrl: redis.url } : {});
      appKey = await fx.createKey('app', `quota-app-${backend}`);
      adminKey = await fx.createKey('admin');
    });
    after(async () => {
      await fx.close();
      await redis?.dispose();
    });

    const user = (what: string) => `${what}-${++run}-${backend}`;

    function openai(headers: Record<string, string> = {}): OpenAI {
      return new OpenAI({
        apiKey: PROVIDER_SECRET,
        baseURL: `${fx.url}/openai/v1`,
        defaultHeaders: { 'Helicone-Auth': `Bearer ${appKey}`, ...headers },
        maxRetries: 0,
      });
    }

    async function api(method: string, path: string, body?: unknown, key = adminKey) {
      const response = await fetch(`${fx.url}${path}`, {
        method,
        headers: { 'lookout-auth': `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as any };
    }

    /** Outcome of one chat request: its status (429 from the SDK's error), and the Lookout id. */
    async function chat(headers: Record<string, string>, maxTokens = 50) {
      try {
        const { response } = await openai(headers)
          .chat.completions.create({ model: 'gpt-4o-mini', max_tokens: maxTokens, messages: [{ role: 'user', content: 'hi' }] })
          .withResponse();
        return { status: response.status, headers: response.headers };
      } catch (error) {
        if (error instanceof OpenAI.APIError) return { status: error.status ?? 0, headers: error.headers, error: error.error as any };
        throw error;
      }
    }

    test('20 concurrent requests under 5;w=60;s=user: exactly 5 succeed, 15 get 429 and never reach the provider', async () => {
      const alice = user('alice');
      const before = fx.mock.requests.length;
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => chat({ 'Helicone-RateLimit-Policy': '5;w=60;s=user', 'Helicone-User-Id': alice })),
      );
      assert.equal(answers.filter((a) => a.status === 200).length, 5);
      assert.equal(answers.filter((a) => a.status === 429).length, 15);
      assert.equal(fx.mock.requests.length - before, 5);
      const refused = answers.find((a) => a.status === 429);
      assert.ok(Number(refused?.headers?.get('retry-after')) >= 1);
      assert.equal(refused?.headers?.get('helicone-ratelimit-remaining'), '0');
      await fx.stack.idle();
      const logged = await api('GET', `/v1/requests?userId=${alice}&limit=100`);
      assert.equal(logged.json.requests.filter((r: any) => r.rateLimited && r.rateLimitedBy === '5;w=60;u=request;s=user').length, 15);
      const bob = await chat({ 'Helicone-RateLimit-Policy': '5;w=60;s=user', 'Helicone-User-Id': user('bob') });
      assert.equal(bob.status, 200, 'another user is unaffected');
    });

    test('50 concurrent streams under a usd quota never settle past it, and the headroom left is reported', async () => {
      const name = `usd-${backend}`;
      const limitUsd = 0.0005;
      const created = await api('POST', '/v1/quotas', { name, unit: 'usd', limit: limitUsd, windowSeconds: 3600, scope: 'user' });
      assert.equal(created.status, 201);
      const carol = user('carol');
      const streams = await Promise.all(
        Array.from({ length: 50 }, async () => {
          try {
            const stream = await openai({ 'Helicone-User-Id': carol }).chat.completions.create({
              model: 'gpt-4o-mini',
              max_tokens: 50,
              stream: true,
              messages: [{ role: 'user', content: 'hi' }],
            });
            for await (const _ of stream);
            return 200;
          } catch (error) {
            if (error instanceof OpenAI.APIError) return error.status;
            throw error;
          }
        }),
      );
      assert.ok(streams.filter((s) => s === 200).length > 0);
      assert.ok(streams.filter((s) => s === 429).length > 0, 'the worst case of 50 does not fit $0.0005');
      await fx.stack.idle();
      const logged = await api('GET', `/v1/requests?userId=${carol}&limit=100`);
      const settledUsd = logged.json.requests.reduce((sum: number, r: any) => sum + (r.costUsd ?? 0), 0);
      assert.ok(settledUsd <= limitUsd, `settled $${settledUsd} within $${limitUsd}`);
      const usage = await api('GET', `/v1/quotas/${created.json.id}/usage?scopeValue=${carol}`);
      assert.equal(usage.status, 200);
      assert.equal(usage.json.reserved, 0, 'every reservation was settled');
      assert.ok(Math.abs(usage.json.used - settledUsd) < 1e-9, `the counter (${usage.json.used}) equals the logged cost (${settledUsd})`);
      assert.ok(Math.abs(usage.json.remaining - (limitUsd - settledUsd)) < 1e-9);

      // The guide's abuse check: the users list (from the rollups) shows her quota use and flags her refusals.
      await fx.stack.rollupsCaughtUp();
      const users = await api('GET', '/v1/users?limit=1000');
      const row = users.json.users.find((u: any) => u.userId === carol);
      assert.equal(row.rateLimitedRequests, streams.filter((s) => s === 429).length);
      assert.equal(row.flagged, true);
      const quotaUse = row.quotas.find((q: any) => q.quota.name === name);
      assert.ok(Math.abs(quotaUse.used - settledUsd) < 1e-9);
      assert.equal(quotaUse.limit, limitUsd);
    });

    test('a cancelled stream settles what it cost so far', async () => {
      const name = `cancel-${backend}`;
      const created = await api('POST', '/v1/quotas', { name, unit: 'tokens', limit: 100_000, windowSeconds: 3600, scope: 'user' });
      const dave = user('dave');
      const gate = fx.mock.holdLastEvent();
      const controller = new AbortController();
      const stream = await openai({ 'Helicone-User-Id': dave }).chat.completions.create(
        {
          model: 'gpt-4o-mini',
          max_tokens: 50,
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'hi' }],
        },
        { signal: controller.signal },
      );
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) break;
      }
      controller.abort();
      gate.release();
      await fx.stack.idle();
      const usage = await api('GET', `/v1/quotas/${created.json.id}/usage?scopeValue=${dave}`);
      assert.equal(usage.json.reserved, 0, 'the cancelled request released its reservation');
      const logged = await api('GET', `/v1/requests?userId=${dave}`);
      assert.equal(logged.json.requests[0]?.outcome, 'cancelled');
      assert.equal(usage.json.used, logged.json.requests[0]?.totalTokens ?? 0, 'it counts what the log says it cost');
    });

    test('the quotas API: validation names the field, an app key gets 403, config quotas are listed', async () => {
      const bad = await api('POST', '/v1/quotas', { name: 'x', unit: 'euros', limit: 1, windowSeconds: 60, scope: 'user' });
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.json.error), /unit/);
      const forbidden = await api('GET', '/v1/quotas', undefined, appKey);
      assert.equal(forbidden.status, 403);
      const list = await api('GET', '/v1/quotas');
      assert.equal(list.status, 200);
    });

    if (backend === 'redis') {
      test('with the counters down, requests fail open by default', async () => {
        const eve = user('eve');
        await redis!.stop();
        try {
          const answer = await chat({ 'Helicone-RateLimit-Policy': '1;w=60;s=user', 'Helicone-User-Id': eve });
          assert.equal(answer.status, 200);
        } finally {
          await redis!.restart();
        }
      });
    }
  });
}

describe('quotas that fail closed', () => {
  let fx: StackFixture;
  let redis: RedisServer;
  let appKey: string;

  before(async () => {
    redis = await RedisServer.start();
    fx = await startStackFixture({ quotaStoreFailure: 'closed' }, { redisUrl: redis.url });
    appKey = await fx.createKey('app', 'fail-closed-app');
  });
  after(async () => {
    await fx.close();
    await redis.dispose();
  });

  test('with the counters down, a request a limit applies to is a 503 that never reaches the provider; others go through', async () => {
    const client = new OpenAI({
      apiKey: PROVIDER_SECRET,
      baseURL: `${fx.url}/openai/v1`,
      defaultHeaders: { 'Helicone-Auth': `Bearer ${appKey}` },
      maxRetries: 0,
    });
    await redis.stop();
    try {
      const before = fx.mock.requests.length;
      await assert.rejects(
        client.chat.completions.create(
          { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
          { headers: { 'Helicone-RateLimit-Policy': '10;w=60;s=user', 'Helicone-User-Id': 'frank' } },
        ),
        (error: unknown) =>
          error instanceof OpenAI.APIError && error.status === 503 && /quota_store_unavailable/.test(JSON.stringify(error.error)),
      );
      assert.equal(fx.mock.requests.length, before);
      const unlimited = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      assert.ok(unlimited.choices.length > 0, 'a request no limit applies to needs no counter');
    } finally {
      await redis.restart();
    }
  });
});
