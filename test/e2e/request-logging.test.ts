/**
 * Every request through the gateway shows up in the query API with the provider's token counts,
 * the right cost, timings, user, session and properties; bodies are stored (or omitted) and
 * provider credentials are never stored. The official SDKs talk to the local stack, which talks
 * to a loopback mock provider.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import OpenAI from 'openai';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/document-client.js';
import { LOCAL_TABLE_NAMES } from '../../lambdas/local/local-stack.js';
import { MOCK_TEXT, MOCK_USAGE } from '../../lambdas/demo/mock-provider.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';

const PROVIDER_SECRET = 'sk-provider-secret-never-stored';
let fx: StackFixture;
let appKey: string;
let adminKey: string;

before(async () => {
  fx = await startStackFixture({ upstreamTimeoutMs: 1_000 });
  appKey = await fx.createKey('app');
  adminKey = await fx.createKey('admin');
});
after(() => fx.close());
beforeEach(() => {
  fx.mock.usage = { ...MOCK_USAGE };
});

function openai(headers: Record<string, string> = {}): OpenAI {
  return new OpenAI({
    apiKey: PROVIDER_SECRET,
    baseURL: `${fx.url}/openai/v1`,
    defaultHeaders: { 'Lookout-Auth': `Bearer ${appKey}`, ...headers },
    maxRetries: 0,
  });
}

function anthropic(headers: Record<string, string> = {}): Anthropic {
  return new Anthropic({
    apiKey: PROVIDER_SECRET,
    baseURL: `${fx.url}/anthropic`,
    defaultHeaders: { 'Lookout-Auth': `Bearer ${appKey}`, ...headers },
    maxRetries: 0,
  });
}

async function queryApi(path: string): Promise<any> {
  const response = await fetch(`${fx.url}${path}`, { headers: { 'lookout-auth': `Bearer ${adminKey}` } });
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return response.json();
}

/** The log is written after the client has the last byte, so it may land a moment later. */
async function loggedRequest(id: string): Promise<any> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${fx.url}/v1/requests/${id}`, { headers: { 'lookout-auth': `Bearer ${adminKey}` } });
    if (response.status === 200) return response.json();
    assert.equal(response.status, 404);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`request ${id} was never logged`);
}

describe('streamed OpenAI call without include_usage', () => {
  test('the client gets exactly the provider stream, and the log has the provider token counts', async () => {
    const raw = await fetch(`${fx.url}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PROVIDER_SECRET}`, 'lookout-auth': `Bearer ${appKey}` },
      body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Say hello' }] }),
    });
    const received = await raw.text();
    assert.equal(fx.mock.lastRequest.json.stream_options.include_usage, true, 'Lookout asked the provider for usage');
    assert.equal(
      received,
      fx.mock.chatStreamText('gpt-4o-mini', false),
      'byte for byte the stream the provider sends without include_usage',
    );

    const log = await loggedRequest(raw.headers.get('lookout-id')!);
    assert.equal(log.stream, true);
    assert.equal(log.promptTokens, MOCK_USAGE.prompt);
    assert.equal(log.completionTokens, MOCK_USAGE.completion);
    assert.equal(log.totalTokens, MOCK_USAGE.prompt + MOCK_USAGE.completion);
    assert.equal(log.outcome, 'completed');
    assert.equal(log.status, 200);
    assert.ok(log.ttftMs >= 0 && log.ttftMs <= log.latencyMs, `ttft ${log.ttftMs} within latency ${log.latencyMs}`);
  });

  test('through the SDK: no usage chunk and no usage field reaches the client', async () => {
    const { data: stream, response } = await openai()
      .chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), MOCK_TEXT);
    assert.ok(
      chunks.every((c) => c.choices.length === 1 && !('usage' in c)),
      'every chunk is as the provider sends it without include_usage',
    );
    const log = await loggedRequest(response.headers.get('lookout-id')!);
    assert.equal(log.totalTokens, MOCK_USAGE.prompt + MOCK_USAGE.completion);
  });

  test('a client that asked for usage itself still gets the usage chunk', async () => {
    const stream = await openai().chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    let usage;
    for await (const chunk of stream) usage ??= chunk.usage ?? undefined;
    assert.equal(usage?.total_tokens, MOCK_USAGE.prompt + MOCK_USAGE.completion);
  });
});

describe('Responses API and embeddings', () => {
  test('a streamed Responses API call is logged with its usage, cached tokens included', async () => {
    fx.mock.usage = { prompt: 2_000, completion: 100, cached: 1_500, cacheWrite: 0 };
    const { data: stream, response } = await openai()
      .responses.create({ model: 'gpt-4.1-mini', input: 'Say hello', stream: true })
      .withResponse();
    let text = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    assert.equal(text, MOCK_TEXT);
    assert.equal(fx.mock.lastRequest.json.stream_options, undefined, 'nothing is injected into Responses requests');
    const log = await loggedRequest(response.headers.get('lookout-id')!);
    assert.equal(log.path, '/v1/responses');
    assert.equal(log.promptTokens, 2_000);
    assert.equal(log.cachedTokens, 1_500);
    assert.equal(log.completionTokens, 100);
    assert.equal(log.unpriced, false);
  });

  test('an embeddings call is logged with its prompt tokens', async () => {
    fx.mock.usage = { prompt: 42, completion: 0, cached: 0, cacheWrite: 0 };
    const { data, response } = await openai()
      .embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] })
      .withResponse();
    assert.equal(data.data.length, 2);
    const log = await loggedRequest(response.headers.get('lookout-id')!);
    assert.equal(log.promptTokens, 42);
    assert.equal(log.totalTokens, 42);
    assert.equal(log.stream, false);
  });
});

describe('costs', () => {
  // Prices per million tokens: gpt-4o $2.50 in / $1.25 cached in / $10 out;
  // claude-sonnet-4-5 $3 in / $0.30 cache read / $3.75 cache write (5 min) / $15 out.
  test('gpt-4o with cached input: 200 × 2.50 + 1,000 × 1.25 + 300 × 10 = 4,750 µ$ = $0.00475', async () => {
    fx.mock.usage = { prompt: 1_200, completion: 300, cached: 1_000, cacheWrite: 0 };
    const { response } = await openai()
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    const log = await loggedRequest(response.headers.get('lookout-id')!);
    assert.equal(log.cachedTokens, 1_000);
    assert.equal(log.unpriced, false);
    assert.equal(log.costUsd, 0.00475);
  });

  test('gpt-4o-mini streamed: 17 × 0.15 + 5 × 0.60 = 5.55 µ$', async () => {
    const { data: stream, response } = await openai()
      .chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    for await (const _ of stream);
    const log = await loggedRequest(response.headers.get('lookout-id')!);
    assert.equal(log.costUsd, 0.00000555);
  });

  test('claude-sonnet-4-5 streamed with cache read and write: 500 × 3 + 2,000 × 0.30 + 1,000 × 3.75 + 400 × 15 = 11,850 µ$', async () => {
    fx.mock.usage = { prompt: 3_500, completion: 400, cached: 2_000, cacheWrite: 1_000 };
    const stream = anthropic().messages.stream({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 500,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const { response } = await stream.withResponse();
    await stream.finalMessage();
    const log = await loggedRequest(response.headers.get('lookout-id')!);
    assert.equal(log.model, 'claude-sonnet-4-5-20250929');
    assert.equal(log.promptTokens, 3_500);
    assert.equal(log.cachedTokens, 2_000);
    assert.equal(log.cacheWriteTokens, 1_000);
    assert.equal(log.completionTokens, 400);
    assert.equal(log.costUsd, 0.01185);
  });

  test('an unknown model is logged as unpriced, with a null cost, never $0', async () => {
    const { response } = await openai()
      .chat.completions.create({ model: 'my-private-finetune', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    const log = await loggedRequest(response.headers.get('lookout-id')!);
    assert.equal(log.unpriced, true);
    assert.equal(log.costUsd, null);
    assert.equal(log.totalTokens, MOCK_USAGE.prompt + MOCK_USAGE.completion);
  });
});

describe('context: user, session, properties', () => {
  test('headers and the body user field end up in the log and its filters', async () => {
    const sessionId = randomUUID();
    const headers = {
      'Lookout-Session-Id': sessionId,
      'Helicone-Session-Path': '/plan/step-1',
      'Lookout-Session-Name': 'Trip planner',
      'Lookout-Property-Feature': 'Chat',
      'Helicone-Property-Tier': 'pro',
    };
    const first = await openai({ ...headers, 'Lookout-User-Id': 'alice' })
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    const second = await openai(headers)
      .chat.completions.create({ model: 'gpt-4o-mini', user: 'bob', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    const a = await loggedRequest(first.response.headers.get('lookout-id')!);
    const b = await loggedRequest(second.response.headers.get('lookout-id')!);
    assert.equal(a.userId, 'alice');
    assert.equal(b.userId, 'bob', 'falls back to the body user field');
    assert.deepEqual(a.properties, { feature: 'Chat', tier: 'pro' });
    assert.equal(a.sessionPath, '/plan/step-1');
    assert.equal(a.sessionName, 'Trip planner');
    const bySession = await queryApi(`/v1/sessions/${sessionId}`);
    assert.deepEqual(
      bySession.requests.map((r: any) => r.id),
      [a.id, b.id],
    );
    const byProperty = await queryApi(`/v1/requests?sessionId=${sessionId}&property.feature=Chat&userId=alice`);
    assert.deepEqual(
      byProperty.requests.map((r: any) => r.id),
      [a.id],
    );
  });
});

describe('bodies', () => {
  test('request and response bodies are stored and readable; a large one goes to S3', async () => {
    const big = randomBytes(24 * 1024).toString('base64');
    const { response } = await openai()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: big }] })
      .withResponse();
    const log = await loggedRequest(response.headers.get('lookout-id')!);
    assert.equal(log.requestBody.messages[0].content, big);
    assert.equal(log.responseBody.choices[0].message.content, MOCK_TEXT);
    const s3Objects = listFiles(join(fx.dataDir, 's3')).filter((f) => f.includes(log.id));
    assert.ok(s3Objects.length >= 1, 'the large request body is in the bucket');
  });

  test('bodies under 1 KiB are stored as they are, without gzip, and read back unchanged', async () => {
    const { response } = await openai()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a short question' }] })
      .withResponse();
    const id = response.headers.get('lookout-id')!;
    const log = await loggedRequest(id);
    assert.deepEqual(log.requestBody, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a short question' }] });
    assert.equal(log.responseBody.choices[0].message.content, MOCK_TEXT);
    const { Item } = await createDocumentClient(fx.stack.lambdaEnvironment).send(
      new GetCommand({ TableName: LOCAL_TABLE_NAMES.requestLog, Key: { id } }),
    );
    for (const body of [Item?.requestBody, Item?.responseBody]) {
      assert.ok(body?.raw instanceof Uint8Array && !body.gzip, `stored raw in the item: ${JSON.stringify(body)}`);
      assert.ok(body.raw.length < 1024);
    }
    assert.deepEqual(JSON.parse(Buffer.from(Item!.requestBody.raw).toString('utf8')), log.requestBody);
  });

  test('an answer over the 10 MB cap reaches the client whole; the stored copy is cut and says so', async () => {
    const answer = JSON.stringify({
      id: 'big',
      model: 'gpt-4o-mini',
      padding: 'x'.repeat(10.5 * 1024 * 1024),
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
    fx.mock.scriptNext((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer);
    });
    const response = await fetch(`${fx.url}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'lookout-auth': `Bearer ${appKey}` },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [] }),
    });
    assert.equal(await response.text(), answer);
    const log = await loggedRequest(response.headers.get('lookout-id')!);
    assert.equal(log.responseBodyTruncated, true);
    assert.equal(log.totalTokens, 7, 'usage is read from the whole answer');
    assert.equal(log.responseBody, null, 'too large to answer inline');
    assert.equal(log.responseBodyEncoding, 'url');
    const stored = await fetch(log.responseBodyUrl);
    assert.equal(stored.status, 200);
    assert.equal(stored.headers.get('content-encoding'), 'gzip');
    assert.equal(await stored.text(), answer.slice(0, 10 * 1024 * 1024), 'the stored copy stops at the cap');
  });

  test('Omit-Request and Omit-Response drop the bodies but keep the metrics', async () => {
    const { response } = await openai({ 'Lookout-Omit-Request': 'true', 'Helicone-Omit-Response': 'true' })
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'secret prompt text' }] })
      .withResponse();
    const log = await loggedRequest(response.headers.get('lookout-id')!);
    assert.equal(log.requestBody, null);
    assert.equal(log.responseBody, null);
    assert.equal(log.totalTokens, MOCK_USAGE.prompt + MOCK_USAGE.completion);
    assert.ok(log.latencyMs >= 0);
    assert.ok(!(await storedText()).includes('secret prompt text'));
  });

  test('provider credentials and gateway keys appear nowhere in the table or the bucket', async () => {
    const text = await storedText();
    assert.ok(text.includes(MOCK_TEXT), 'the scan does see stored bodies');
    for (const secret of [PROVIDER_SECRET, appKey, adminKey]) assert.ok(!text.includes(secret), 'a secret was stored');
  });
});

describe('outcomes', () => {
  test('a client that disconnects mid-stream is logged as cancelled with partial usage, and the upstream call is aborted', async () => {
    const gate = fx.mock.holdLastEvent();
    const cutOffBefore = fx.mock.streamsCutOff;
    const controller = new AbortController();
    const stream = anthropic().messages.stream(
      { model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] },
      { signal: controller.signal },
    );
    const { response } = await stream.withResponse();
    const id = response.headers.get('lookout-id')!;
    await new Promise<void>((resolve) => stream.on('text', () => resolve()));
    controller.abort();
    const log = await loggedRequest(id);
    assert.equal(log.outcome, 'cancelled');
    assert.equal(log.promptTokens, MOCK_USAGE.prompt, 'input tokens from message_start');
    const deadline = Date.now() + 5_000;
    while (fx.mock.streamsCutOff === cutOffBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(fx.mock.streamsCutOff, cutOffBefore + 1, 'the gateway hung up on the provider');
    gate.release();
  });

  test('an upstream timeout is logged as a timeout', async () => {
    fx.mock.scriptNext(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 2_000));
      res.destroy();
    });
    const response = await fetch(`${fx.url}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'lookout-auth': `Bearer ${appKey}` },
      body: JSON.stringify({ model: 'gpt-4o', messages: [] }),
    });
    assert.equal(response.status, 504);
    const log = await loggedRequest(response.headers.get('lookout-id')!);
    assert.equal(log.outcome, 'timeout');
    assert.equal(log.status, 504);
    assert.equal(log.model, 'gpt-4o');
  });

  test('an upstream error is logged with its status and passed through', async () => {
    fx.mock.scriptNext((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"slow down"}}');
    });
    const response = await fetch(`${fx.url}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'lookout-auth': `Bearer ${appKey}` },
      body: JSON.stringify({ model: 'gpt-4o', messages: [] }),
    });
    assert.equal(response.status, 429);
    const log = await loggedRequest(response.headers.get('lookout-id')!);
    assert.equal(log.status, 429);
    assert.equal(log.outcome, 'upstream_error', 'a provider refusal is not a completed request');
    assert.equal(log.errorCode, 'http_429', 'no code in the body: the status names it');
    assert.deepEqual(log.responseBody, { error: { message: 'slow down' } });
    const errors = await queryApi(`/v1/requests?status=429`);
    assert.ok(errors.requests.some((r: any) => r.id === log.id));
  });

  test("a provider error reaches the SDK unchanged and is logged with the provider's error code", async () => {
    const providerBody = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
    fx.mock.scriptNext((_req, res) => {
      res.writeHead(529, { 'content-type': 'application/json', 'request-id': 'req_overloaded' });
      res.end(providerBody);
    });
    const failure = await anthropic()
      .messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => assert.fail('the SDK should have thrown'),
        (error: unknown) => error,
      );
    assert.ok(failure instanceof Anthropic.APIError);
    assert.equal(failure.status, 529);
    assert.equal(failure.requestID, 'req_overloaded');
    const log = await loggedRequest(failure.headers!.get('lookout-id')!);
    assert.equal(log.outcome, 'upstream_error');
    assert.equal(log.errorCode, 'overloaded_error');
    assert.equal(log.status, 529);
    const errors = await queryApi('/v1/requests?status=error&limit=1000');
    assert.ok(
      errors.requests.some((r: any) => r.id === log.id),
      'listed under status=error',
    );
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Everything Lookout stored: every table item, and every object in the bucket, decompressed. */
async function storedText(): Promise<string> {
  const client = createDocumentClient(fx.stack.lambdaEnvironment);
  const parts: string[] = [];
  for (const table of Object.values(LOCAL_TABLE_NAMES)) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey }));
      for (const item of page.Items ?? []) {
        parts.push(JSON.stringify(item));
        for (const body of [item.requestBody, item.responseBody]) {
          if (body?.gzip) parts.push(gunzipSync(body.gzip).toString('utf8'));
          if (body?.raw) parts.push(Buffer.from(body.raw).toString('utf8'));
        }
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  for (const file of listFiles(join(fx.dataDir, 's3'))) {
    const bytes = readFileSync(file);
    parts.push(bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8'));
  }
  return parts.join('\n');
}
