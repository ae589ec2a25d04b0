/**
 * The cache step inside the real pipeline, with in-memory fakes: a scripted upstream that
 * counts its calls, an in-memory cache that can fail or stall, the request-log sink.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGatewayPipeline } from '../../../../lambdas/app/gateway/gateway-pipeline.js';
import type { RuntimeConfigInput } from '../../../../lambdas/contract/runtime-config-schema.js';
import type { GatewayKeyRecord } from '../../../../lambdas/core/auth/gateway-key.js';
import type { HttpRequest } from '../../../../lambdas/core/http/http-request.js';
import {
  APP_KEY,
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

const chatAnswer = JSON.stringify({
  id: 'c1',
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ message: { role: 'assistant', content: 'Hello' } }],
  usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
});

const streamEvents = [
  'data: {"id":"s1","model":"gpt-4o-mini-2024-07-18","choices":[{"delta":{"content":"Hel"}}]}\n\n',
  'data: {"id":"s1","model":"gpt-4o-mini-2024-07-18","choices":[{"delta":{"content":"lo"}}]}\n\n',
  'data: {"id":"s1","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}\n\n',
  'data: [DONE]\n\n',
];

/** Two keys besides the test app's, for scope tests. */
class TwoKeyAuthenticator extends FakeAuthenticator {
  override async authenticate(key: string | null, needed: 'app' | 'admin'): Promise<GatewayKeyRecord> {
    if (key === 'lk_second')
      return { keyHash: 'hash-2', keyPrefix: 'lk_sec', name: 'second-app', role: 'app', createdAt: '2026-01-01T00:00:00.000Z' };
    return super.authenticate(key, needed);
  }
}

function gateway(options: { answer?: ScriptedUpstreamAnswer; config?: Partial<RuntimeConfigInput>; random?: () => number } = {}) {
  const upstream = new ScriptedUpstream(options.answer ?? { chunks: [chatAnswer] });
  const cache = new InMemoryResponseCache();
  const sink = new RequestLogSink();
  const logger = new RecordingLogger();
  let ids = 0;
  const handle = createGatewayPipeline({
    config: testConfig({ cacheTimeoutMs: 20, ...options.config }),
    authenticator: new TwoKeyAuthenticator(),
    upstream,
    responseCache: cache,
    quotaCounters: new InMemoryQuotaCounters(),
    apiQuotas: new InMemoryQuotaStore(),
    recordRequest: sink.recordRequest,
    metrics: new RecordingGatewayMetrics(),
    logger,
    newRequestId: () => `req-${++ids}`,
    now: Date.now,
    random: options.random ?? Math.random,
  });
  const send = async (request: HttpRequest) => {
    const handled = await handle(request);
    const body = (await readAll(handled.response.body)).toString();
    await handled.afterResponse;
    return { status: handled.response.statusCode, headers: handled.response.headers, body };
  };
  return { upstream, cache, sink, logger, send };
}

const cached = (headers: Record<string, string> = {}, body?: string) =>
  httpRequest({ headers: { 'helicone-cache-enabled': 'true', ...headers }, ...(body === undefined ? {} : { body }) });

describe('answer-from-cache step', () => {
  it('leaves a request without cache headers alone', async () => {
    const { send, cache, upstream } = gateway();
    const answer = await send(httpRequest());
    assert.equal(answer.headers['helicone-cache'], undefined);
    assert.equal(cache.readKeys.length, 0);
    assert.equal(upstream.requests.length, 1);
  });

  it('misses, stores the answer, then answers the same request without reaching the provider', async () => {
    const { send, upstream, sink } = gateway();
    const miss = await send(cached());
    assert.equal(miss.headers['helicone-cache'], 'MISS');
    assert.equal(miss.headers['lookout-cache'], 'MISS');
    assert.equal(miss.headers['helicone-cache-bucket-idx'], undefined);
    const hit = await send(cached());
    assert.equal(upstream.requests.length, 1, 'the hit never reached the provider');
    assert.equal(hit.status, 200);
    assert.equal(hit.body, chatAnswer);
    assert.equal(hit.headers['content-type'], 'application/json');
    assert.equal(hit.headers['helicone-cache'], 'HIT');
    assert.equal(hit.headers['lookout-cache'], 'HIT');
    assert.equal(hit.headers['helicone-cache-bucket-idx'], '0');
    assert.equal(hit.headers['lookout-cache-bucket-idx'], '0');
    assert.equal(hit.headers['lookout-id'], 'req-2');

    const [original, replayed] = sink.logged.map((l) => l.record);
    assert.equal(original?.cacheHit, false);
    assert.equal(original?.cacheStatus, 'miss');
    assert.equal(original?.totalTokens, 1500);
    assert.ok((original?.costNanoUsd ?? 0) > 0);
    assert.equal(replayed?.cacheHit, true);
    assert.equal(replayed?.cacheStatus, 'hit');
    assert.equal(replayed?.costNanoUsd, 0);
    assert.equal(replayed?.savedNanoUsd, original?.costNanoUsd);
    assert.equal(replayed?.totalTokens, 0, 'a hit bills no tokens');
    assert.equal(replayed?.savedTotalTokens, 1500);
    assert.equal(replayed?.savedPromptTokens, 1000);
    assert.equal(replayed?.savedCompletionTokens, 500);
    assert.equal(replayed?.model, 'gpt-4o-mini-2024-07-18');
    assert.ok((replayed?.savedLatencyMs ?? -1) >= 0);
    assert.equal(sink.logged[1]?.bodies.response?.toString(), chatAnswer, 'the hit stores the body it answered with');
  });

  it('replays a stream with its content type and every event', async () => {
    const { send, upstream } = gateway({
      answer: { headers: { 'content-type': 'text/event-stream; charset=utf-8' }, chunks: streamEvents },
    });
    const body = JSON.stringify({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [] });
    const miss = await send(cached({}, body));
    const hit = await send(cached({}, body));
    assert.equal(upstream.requests.length, 1);
    assert.equal(hit.headers['content-type'], 'text/event-stream; charset=utf-8');
    assert.equal(hit.body, miss.body);
    assert.equal(hit.body, streamEvents.join(''), 'the stored stream is the bytes the client got, whole');
  });

  it('serves Cache-Read from a bucket it does not fill, and Cache-Save never reads a hit', async () => {
    const { send, upstream } = gateway();
    const readOnly = await send(cached({ 'helicone-cache-enabled': '', 'helicone-cache-read': 'true' }));
    assert.equal(readOnly.headers['helicone-cache'], 'MISS');
    const saveOnly = await send(cached({ 'helicone-cache-enabled': '', 'lookout-cache-save': 'true' }));
    assert.equal(saveOnly.headers['helicone-cache'], 'MISS');
    assert.equal(upstream.requests.length, 2);
    const read = await send(cached({ 'helicone-cache-enabled': '', 'helicone-cache-read': 'true' }));
    assert.equal(read.headers['helicone-cache'], 'HIT');
    assert.equal(upstream.requests.length, 2);
  });

  it('fills a bucket of 3 with three answers, then serves one of them', async () => {
    let n = 0;
    const { send, upstream } = gateway({ random: () => 0.5 });
    upstream.send = ((send) => async (request) => {
      upstream.answer = { chunks: [JSON.stringify({ id: `answer-${n++}`, choices: [] })] };
      return send(request);
    })(upstream.send.bind(upstream));
    const headers = { 'helicone-cache-bucket-max-size': '3' };
    const misses = [await send(cached(headers)), await send(cached(headers)), await send(cached(headers))];
    assert.deepEqual(
      misses.map((m) => m.headers['helicone-cache']),
      ['MISS', 'MISS', 'MISS'],
    );
    const hit = await send(cached(headers));
    assert.equal(upstream.requests.length, 3);
    assert.equal(hit.headers['helicone-cache-bucket-idx'], '1');
    assert.equal(hit.body, misses[1]?.body);
  });

  it('keeps entries apart by seed and by gateway key, and shares them between keys given one scope', async () => {
    const { send, upstream } = gateway({ config: { cacheScopes: { 'test-app': 'team', 'second-app': 'team' } } });
    await send(cached());
    assert.equal((await send(cached({ 'helicone-cache-seed': 'other' }))).headers['helicone-cache'], 'MISS');
    assert.equal((await send(cached({ 'helicone-auth': 'Bearer lk_second', 'lookout-auth': '' }))).headers['helicone-cache'], 'HIT');
    assert.equal(upstream.requests.length, 2);

    const apart = gateway();
    await apart.send(cached());
    assert.equal((await apart.send(cached({ 'helicone-auth': 'Bearer lk_second', 'lookout-auth': '' }))).headers['helicone-cache'], 'MISS');
    assert.equal((await apart.send(cached({ 'lookout-auth': `Bearer ${APP_KEY}` }))).headers['helicone-cache'], 'HIT');
  });

  it('stores only a whole 2xx answer no larger than cacheMaxEntryBytes', async () => {
    for (const answer of [
      { status: 500, chunks: ['{"error":{"message":"boom"}}'] },
      { status: 429, chunks: ['{"error":{"message":"slow down"}}'] },
      { chunks: ['{"partial":'], bodyError: new Error('reset') },
    ] as ScriptedUpstreamAnswer[]) {
      const { send, cache } = gateway({ answer });
      await send(cached());
      assert.equal(cache.writes.length, 0, `status ${answer.status ?? 200} is not stored`);
    }
    const big = gateway({ config: { cacheMaxEntryBytes: chatAnswer.length - 1 } });
    await big.send(cached());
    assert.equal(big.cache.writes.length, 0);
    const fits = gateway({ config: { cacheMaxEntryBytes: chatAnswer.length } });
    await fits.send(cached());
    assert.equal(fits.cache.writes.length, 1);
  });

  it('uses the Cache-Control lifetime', async () => {
    const { send, cache } = gateway();
    await send(cached({ 'cache-control': 'max-age=60, s-maxage=120' }));
    assert.equal(cache.writes[0]?.ttlSeconds, 120);
  });

  it('goes ahead uncached when the cache fails or stalls, logging the burst once', async () => {
    const { send, cache, upstream, logger, sink } = gateway();
    cache.failWith = new Error('ECONNREFUSED');
    const first = await send(cached());
    cache.failWith = null;
    cache.hangReads = true;
    const second = await send(cached());
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(second.body, chatAnswer);
    assert.equal(second.headers['helicone-cache'], 'MISS');
    assert.equal(upstream.requests.length, 2);
    assert.deepEqual(
      sink.logged.map((l) => l.record.cacheStatus),
      ['unavailable', 'unavailable'],
    );
    const cacheLines = logger.lines.filter((l) => l.message.startsWith('response cache failed'));
    assert.equal(cacheLines.length, 1, 'one line for the burst, not one per request');
    assert.equal(cacheLines[0]?.extra.failuresSinceLastReport, 1);
    assert.match(String(cacheLines[0]?.extra.error), /ECONNREFUSED/);
  });

  it('answers a cache write failure without a trace in the answer', async () => {
    const { send, cache, logger } = gateway();
    const write = cache.write.bind(cache);
    cache.write = async () => {
      throw new Error('OOM command not allowed');
    };
    const answer = await send(cached());
    assert.equal(answer.status, 200);
    assert.equal(logger.lines.filter((l) => l.message.startsWith('response cache failed')).length, 1);
    cache.write = write;
  });

  it('refuses a bucket size over 20 with a 400 naming the header, before the cache or the provider', async () => {
    const { send, cache, upstream } = gateway();
    const answer = await send(cached({ 'helicone-cache-bucket-max-size': '21' }));
    assert.equal(answer.status, 400);
    assert.match(JSON.parse(answer.body).error.message, /^Helicone-Cache-Bucket-Max-Size/i);
    assert.equal(cache.readKeys.length, 0);
    assert.equal(upstream.requests.length, 0);
  });
});
