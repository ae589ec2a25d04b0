/**
 * The response cache end to end, on both backends: the official SDKs talk to the local stack
 * (DynamoDB Local as the cache table, or a real redis-server), which talks to the loopback mock
 * provider. A hit is a request the mock never sees.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { sendJson } from '../../lambdas/demo/mock-provider.js';
import { MOCK_TEXT, MOCK_USAGE } from '../../lambdas/demo/mock-provider.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';
import { RedisServer } from '../support/redis-server.js';

const PROVIDER_SECRET = 'sk-provider-secret-never-stored';
const CACHE = { 'Helicone-Cache-Enabled': 'true' };

for (const backend of ['dynamodb', 'redis'] as const) {
  describe(`the response cache on ${backend}`, () => {
    let fx: StackFixture;
    let redis: RedisServer | undefined;
    let appKey: string;
    let adminKey: string;
    let run = 0;

    before(async () => {
      redis = backend === 'redis' ? await RedisServer.start() : undefined;
      fx = await startStackFixture(
        {
          cacheScopes: { 'team-a-web': 'team-a', 'team-a-batch': 'team-a' },
          // On a loaded two-core machine (CI beside other suites) a read from either backend can
          // take longer than the 50 ms default, and a read past the bound is a miss by design;
          // these tests are about what is cached, so they give it room. The bound itself is
          // tested with redis-server stopped below and in the step's unit tests.
          cacheTimeoutMs: 2_000,
        },
        redis ? { redisUrl: redis.url } : {},
      );
      appKey = await fx.createKey('app', 'own-scope-app');
      adminKey = await fx.createKey('admin');
    });
    after(async () => {
      await fx.close();
      await redis?.dispose();
    });

    /** A prompt no other test sends, so each test starts with an empty bucket. */
    const prompt = (what: string) => `${what} #${++run} on ${backend}`;

    function openai(headers: Record<string, string> = {}, key = appKey): OpenAI {
      return new OpenAI({
        apiKey: PROVIDER_SECRET,
        baseURL: `${fx.url}/openai/v1`,
        defaultHeaders: { 'Helicone-Auth': `Bearer ${key}`, ...headers },
        maxRetries: 0,
      });
    }

    async function chat(text: string, headers: Record<string, string> = CACHE, key = appKey) {
      const before = fx.mock.requests.length;
      const { data, response } = await openai(headers, key)
        .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] })
        .withResponse();
      const answeredAt = Date.now();
      await settled();
      return {
        data,
        answeredAt,
        cache: response.headers.get('helicone-cache'),
        lookoutCache: response.headers.get('lookout-cache'),
        bucketIdx: response.headers.get('helicone-cache-bucket-idx'),
        id: response.headers.get('lookout-id')!,
        reachedProvider: fx.mock.requests.length > before,
      };
    }

    /** A raw POST, for bodies the SDK would rewrite (key order) and statuses it would throw on. */
    async function post(body: string, headers: Record<string, string> = CACHE) {
      const before = fx.mock.requests.length;
      const response = await fetch(`${fx.url}/openai/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${PROVIDER_SECRET}`,
          'helicone-auth': `Bearer ${appKey}`,
          ...headers,
        },
        body,
      });
      const text = await response.text();
      await settled();
      return {
        status: response.status,
        cache: response.headers.get('helicone-cache'),
        text,
        reachedProvider: fx.mock.requests.length > before,
      };
    }

    /**
     * An answer is stored after the client has its last byte, so a request sent the moment the
     * previous one is read may still miss; waiting for the stack to be idle (every invocation's
     * log and cache write done) is the condition a test needs, not a pause.
     */
    const settled = () => fx.stack.idle();

    async function queryApi(path: string): Promise<any> {
      const response = await fetch(`${fx.url}${path}`, { headers: { 'lookout-auth': `Bearer ${adminKey}` } });
      assert.equal(response.status, 200, `${path}: ${response.status}`);
      return response.json();
    }

    test('a buffered answer: MISS, then a HIT the provider never sees, with the same answer', async () => {
      const text = prompt('hello');
      const miss = await chat(text);
      assert.equal(miss.cache, 'MISS');
      assert.equal(miss.lookoutCache, 'MISS');
      assert.equal(miss.reachedProvider, true);
      const hit = await chat(text);
      assert.equal(hit.cache, 'HIT');
      assert.equal(hit.lookoutCache, 'HIT');
      assert.equal(hit.bucketIdx, '0');
      assert.equal(hit.reachedProvider, false);
      assert.deepEqual(hit.data, miss.data);
      assert.equal(hit.data.choices[0]?.message.content, MOCK_TEXT);
    });

    test('the hit and the miss in /v1/requests: the hit is free and says what it saved', async () => {
      const text = prompt('priced');
      const miss = await chat(text);
      const hit = await chat(text);
      await fx.stack.idle();
      const original = await queryApi(`/v1/requests/${miss.id}`);
      const replayed = await queryApi(`/v1/requests/${hit.id}`);
      assert.equal(original.cacheHit, false);
      assert.equal(original.cacheStatus, 'miss');
      assert.ok(original.costUsd > 0);
      assert.equal(original.totalTokens, MOCK_USAGE.prompt + MOCK_USAGE.completion);
      assert.equal(replayed.cacheHit, true);
      assert.equal(replayed.cacheStatus, 'hit');
      assert.equal(replayed.costUsd, 0);
      assert.equal(replayed.savedUsd, original.costUsd);
      assert.equal(replayed.totalTokens, 0);
      assert.equal(replayed.savedTotalTokens, original.totalTokens);
      assert.equal(replayed.model, original.model);
      const hits = await queryApi(`/v1/requests?cacheHit=true&from=${encodeURIComponent(original.createdAt)}`);
      assert.ok(hits.requests.some((r: any) => r.id === hit.id));
      assert.ok(!hits.requests.some((r: any) => r.id === miss.id));
    });

    test('an OpenAI stream is cached as sent and replayed as valid SSE the SDK reads the same', async () => {
      const text = prompt('stream');
      const read = async () => {
        const before = fx.mock.requests.length;
        const { data: stream, response } = await openai(CACHE)
          .chat.completions.create({
            model: 'gpt-4o-mini',
            stream: true,
            stream_options: { include_usage: true },
            messages: [{ role: 'user', content: text }],
          })
          .withResponse();
        let content = '';
        let usage: OpenAI.CompletionUsage | null | undefined;
        for await (const chunk of stream) {
          content += chunk.choices[0]?.delta.content ?? '';
          if (chunk.usage) usage = chunk.usage;
        }
        await settled();
        return {
          content,
          usage,
          cache: response.headers.get('helicone-cache'),
          type: response.headers.get('content-type'),
          reached: fx.mock.requests.length > before,
        };
      };
      const miss = await read();
      const hit = await read();
      assert.equal(miss.cache, 'MISS');
      assert.equal(hit.cache, 'HIT');
      assert.equal(hit.reached, false);
      assert.equal(hit.content, MOCK_TEXT);
      assert.deepEqual(hit.usage, miss.usage);
      assert.equal(hit.usage?.total_tokens, MOCK_USAGE.prompt + MOCK_USAGE.completion);
      assert.equal(hit.type, miss.type);
      assert.match(hit.type ?? '', /^text\/event-stream/);
    });

    test('a stream without include_usage replays without the usage Lookout asked for on its behalf', async () => {
      const body = JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt('raw stream') }] });
      const miss = await post(body);
      const hit = await post(body);
      assert.equal(hit.cache, 'HIT');
      assert.equal(hit.text, miss.text);
      assert.equal(hit.text, fx.mock.chatStreamText('gpt-4o-mini', false));
    });

    test('an Anthropic stream is replayed as valid SSE: same text, same usage', async () => {
      const text = prompt('claude');
      const client = new Anthropic({
        apiKey: PROVIDER_SECRET,
        baseURL: `${fx.url}/anthropic`,
        defaultHeaders: { 'Lookout-Auth': `Bearer ${appKey}`, 'Lookout-Cache-Enabled': 'true' },
        maxRetries: 0,
      });
      const read = async () => {
        const before = fx.mock.requests.length;
        const stream = client.messages.stream({
          model: 'claude-3-5-haiku-latest',
          max_tokens: 64,
          messages: [{ role: 'user', content: text }],
        });
        const message = await stream.finalMessage();
        await settled();
        return { message, reached: fx.mock.requests.length > before };
      };
      const miss = await read();
      const hit = await read();
      assert.equal(hit.reached, false);
      assert.deepEqual(hit.message, miss.message);
      assert.equal(hit.message.content[0]?.type === 'text' ? hit.message.content[0].text : '', MOCK_TEXT);
      assert.equal(hit.message.usage.output_tokens, MOCK_USAGE.completion);
    });

    test('Cache-Read alone never stores; Cache-Save alone stores but never answers', async () => {
      const text = prompt('one side');
      assert.equal((await chat(text, { 'Helicone-Cache-Read': 'true' })).reachedProvider, true);
      assert.equal((await chat(text, { 'Helicone-Cache-Read': 'true' })).reachedProvider, true, 'the read-only miss stored nothing');
      assert.equal((await chat(text, { 'Lookout-Cache-Save': 'true' })).cache, 'MISS');
      assert.equal((await chat(text, { 'Lookout-Cache-Save': 'true' })).reachedProvider, true, 'save-only never reads');
      const read = await chat(text, { 'Helicone-Cache-Read': 'true' });
      assert.equal(read.cache, 'HIT');
      assert.equal(read.reachedProvider, false);
    });

    test('max-age=1 expires: a HIT at once, a MISS two seconds later', async () => {
      const headers = { ...CACHE, 'Cache-Control': 'max-age=1' };
      // The entry is written after the first answer's last byte, so it lives until at least a
      // second after that; a repeat answered within that second must be a HIT. On a machine too
      // loaded to answer the repeat in time, the pair says nothing, and a fresh pair is tried.
      let text = '';
      for (let attempt = 1; ; attempt++) {
        text = prompt('short-lived');
        const firstAnsweredAt = (await chat(text, headers)).answeredAt;
        const repeat = await chat(text, headers);
        if (repeat.answeredAt - firstAnsweredAt < 1_000) {
          assert.equal(repeat.cache, 'HIT');
          break;
        }
        assert.ok(attempt < 5, 'five repeats in a row took longer than the entry lives');
      }
      await delay(2_000);
      const later = await chat(text, headers);
      assert.equal(later.cache, 'MISS');
      assert.equal(later.reachedProvider, true);
    });

    test('s-maxage wins over max-age', async () => {
      const text = prompt('shared-cache lifetime');
      await chat(text, { ...CACHE, 'Cache-Control': 'max-age=3600, s-maxage=1' });
      await delay(2_000);
      assert.equal((await chat(text, CACHE)).cache, 'MISS');
    });

    for (const size of [1, 3, 20]) {
      test(`a bucket of ${size} collects ${size} different answers, then serves one of them`, async () => {
        const text = prompt(`bucket ${size}`);
        const headers = { ...CACHE, 'Helicone-Cache-Bucket-Max-Size': String(size) };
        const answers = new Set<string>();
        for (let i = 0; i < size; i++) {
          fx.mock.scriptNext((_req, res) =>
            sendJson(res, 200, {
              id: `answer-${i}`,
              object: 'chat.completion',
              created: 1,
              model: 'gpt-4o-mini',
              choices: [],
              usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
            }),
          );
          const miss = await chat(text, headers);
          assert.equal(miss.cache, 'MISS', `request ${i + 1} of ${size} fills the bucket`);
          answers.add(miss.data.id);
        }
        assert.equal(answers.size, size);
        for (let i = 0; i < 3; i++) {
          const hit = await chat(text, headers);
          assert.equal(hit.cache, 'HIT');
          assert.equal(hit.reachedProvider, false);
          assert.ok(answers.has(hit.data.id), `${hit.data.id} is one of the stored answers`);
          assert.equal(hit.data.id, `answer-${hit.bucketIdx}`, 'Cache-Bucket-Idx names the slot that answered');
        }
      });
    }

    test('a bucket of 21 is a 400 that names the header, and reaches neither cache nor provider', async () => {
      const answer = await post(JSON.stringify({ model: 'gpt-4o-mini', messages: [] }), {
        ...CACHE,
        'Helicone-Cache-Bucket-Max-Size': '21',
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.reachedProvider, false);
      const error = JSON.parse(answer.text).error;
      assert.equal(error.code, 'invalid_header');
      assert.match(error.message, /^Helicone-Cache-Bucket-Max-Size/i);
    });

    test('a seed keeps its own entries', async () => {
      const text = prompt('seeded');
      await chat(text, { ...CACHE, 'Helicone-Cache-Seed': 'a' });
      assert.equal((await chat(text, { ...CACHE, 'Helicone-Cache-Seed': 'b' })).cache, 'MISS');
      assert.equal((await chat(text, { ...CACHE, 'Helicone-Cache-Seed': 'a' })).cache, 'HIT');
      assert.equal((await chat(text, CACHE)).cache, 'MISS');
    });

    test('Cache-Ignore-Keys leaves those body keys out of the key, and key order never matters', async () => {
      const content = prompt('ignore keys');
      const headers = { ...CACHE, 'Helicone-Cache-Ignore-Keys': 'user, temperature' };
      const first = await post(
        JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], user: 'alice', temperature: 0 }),
        headers,
      );
      assert.equal(first.cache, 'MISS');
      const other = await post(
        JSON.stringify({ temperature: 1, user: 'bob', messages: [{ content, role: 'user' }], model: 'gpt-4o-mini' }),
        headers,
      );
      assert.equal(other.cache, 'HIT');
      assert.equal(other.text, first.text);
      const notIgnored = await post(
        JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], user: 'alice', temperature: 0 }),
        CACHE,
      );
      assert.equal(notIgnored.cache, 'MISS', 'without the header the same body is another key');
    });

    test('keys with their own scopes never share a hit; keys given one scope do', async () => {
      const text = prompt('tenants');
      const otherTenant = await fx.createKey('app', 'other-tenant');
      await chat(text, CACHE, appKey);
      assert.equal((await chat(text, CACHE, otherTenant)).cache, 'MISS');
      assert.equal((await chat(text, CACHE, appKey)).cache, 'HIT');

      const shared = prompt('one team');
      const web = await fx.createKey('app', 'team-a-web');
      const batch = await fx.createKey('app', 'team-a-batch');
      await chat(shared, CACHE, web);
      const fromBatch = await chat(shared, CACHE, batch);
      assert.equal(fromBatch.cache, 'HIT');
      assert.equal(fromBatch.reachedProvider, false);
    });

    test('only a 2xx answer is stored', async () => {
      const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt('failing') }] });
      fx.mock.scriptNext((_req, res) => sendJson(res, 500, { error: { message: 'overloaded', type: 'server_error' } }));
      const failed = await post(body);
      assert.equal(failed.status, 500);
      assert.equal(failed.cache, 'MISS');
      const retried = await post(body);
      assert.equal(retried.status, 200);
      assert.equal(retried.cache, 'MISS', 'the 500 was not stored');
      assert.equal(retried.reachedProvider, true);
      assert.equal((await post(body)).cache, 'HIT');
    });

    test('an answer over cacheMaxEntryBytes (1 MiB) is not stored; one just under it is', async () => {
      for (const [bytes, expected] of [
        [1024 * 1024 + 1, 'MISS'],
        [1024 * 1024 - 256, 'HIT'],
      ] as const) {
        const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt(`big ${bytes}`) }] });
        fx.mock.scriptNext((_req, res) => {
          const shell = JSON.stringify({ id: 'big', choices: [], pad: '' });
          sendJson(res, 200, { id: 'big', choices: [], pad: 'x'.repeat(bytes - shell.length) });
        });
        const first = await post(body);
        assert.equal(first.text.length, bytes);
        const second = await post(body);
        assert.equal(second.cache, expected, `an answer of ${bytes} bytes`);
        if (expected === 'HIT') assert.equal(second.text, first.text);
      }
    });

    test('/v1/cache/stats counts hits and misses and what the hits saved, grouped by user', async () => {
      const from = new Date().toISOString();
      const text = prompt('stats');
      const user = `stats-user-${backend}`;
      await chat(text, { ...CACHE, 'Helicone-User-Id': user });
      await chat(text, { ...CACHE, 'Helicone-User-Id': user });
      await chat(text, { ...CACHE, 'Helicone-User-Id': user });
      await fx.stack.idle();
      await fx.stack.rollupsCaughtUp();
      const stats = await queryApi(`/v1/cache/stats?from=${encodeURIComponent(from)}&groupBy=user`);
      assert.equal(stats.from, new Date(Math.floor(Date.parse(from) / 60_000) * 60_000).toISOString(), 'from goes out to its minute');
      assert.equal('truncated' in stats, false);
      const mine = stats.groups.find((g: any) => g.value === user);
      assert.equal(mine.hits, 2);
      assert.equal(mine.misses, 1);
      assert.ok(Math.abs(mine.hitRate - 2 / 3) < 1e-9);
      assert.ok(mine.savedUsd > 0);
      assert.equal(mine.savedTokens, 2 * (MOCK_USAGE.prompt + MOCK_USAGE.completion));
      assert.ok(stats.totals.hits >= 2);
      const openapi = await queryApi('/v1/openapi.json');
      assert.ok(openapi.paths['/v1/cache/stats']?.get, '/v1/cache/stats is documented');
    });

    if (backend === 'redis') {
      test('with redis-server stopped mid-test, requests still succeed, uncached, and are logged as such', async () => {
        const text = prompt('cache down');
        await chat(text);
        assert.equal((await chat(text)).cache, 'HIT');
        await redis!.stop();
        try {
          for (let i = 0; i < 3; i++) {
            const answer = await chat(text);
            assert.equal(answer.data.choices[0]?.message.content, MOCK_TEXT);
            assert.equal(answer.cache, 'MISS');
            assert.equal(answer.reachedProvider, true);
          }
          await fx.stack.idle();
          const recent = await queryApi('/v1/requests?limit=3');
          assert.deepEqual(
            recent.requests.map((r: any) => r.cacheStatus),
            ['unavailable', 'unavailable', 'unavailable'],
          );
        } finally {
          await redis!.restart();
        }
        // The client reconnects by itself; wait for that condition rather than for a while.
        const deadline = Date.now() + 10_000;
        while ((await chat(text)).cache !== 'HIT') {
          assert.ok(Date.now() < deadline, 'the cache came back after redis-server restarted');
          await delay(100);
        }
      });
    }
  });
}
