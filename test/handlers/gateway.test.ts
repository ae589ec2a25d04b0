/**
 * The gateway Lambda's handler, built by `createGatewayHandler` from an explicit environment with
 * in-memory adapters: the API Gateway event becomes the upstream request, the answer streams into
 * the Lambda response stream chunk by chunk, and the invocation ends only once the request is
 * logged. The `awslambda` globals are the ones `npm start` provides.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { before, describe, it } from 'node:test';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { GatewayAdapters } from '../../lambdas/handlers/gateway.js';
import { installLambdaStreamingGlobals, type ResponsePrelude } from '../../lambdas/local/lambda-streaming-globals.js';
import type { RuntimeConfig } from '../../lambdas/contract/runtime-config-schema.js';
import { newGatewayKeyRecord, type GatewayKeyRecord } from '../../lambdas/core/auth/gateway-key.js';
import type { GatewayKeyStore } from '../../lambdas/core/ports/gateway-key-store.js';
import { InMemoryQuotaCounters } from '../support/in-memory-quota-counters.js';
import { InMemoryQuotaStore } from '../support/in-memory-quota-store.js';
import { InMemoryResponseCache } from '../support/in-memory-response-cache.js';
import {
  APP_KEY,
  RecordingGatewayMetrics,
  RequestLogSink,
  ScriptedUpstream,
  type ScriptedUpstreamAnswer,
} from '../support/gateway-fakes.js';

let createGatewayHandler: typeof import('../../lambdas/handlers/gateway.js').createGatewayHandler;
let defaultHandler: unknown;

before(async () => {
  // middy asks for `awslambda.streamifyResponse` when the handler is created, at import.
  installLambdaStreamingGlobals();
  ({ createGatewayHandler, handler: defaultHandler } = await import('../../lambdas/handlers/gateway.js'));
});

/** What the Lambda runtime hands a streaming handler, recording the prelude and every write. */
class RecordingResponseStream extends Writable {
  prelude: ResponsePrelude | undefined;
  readonly writes: Buffer[] = [];
  /** Whether the prelude was set before the first body byte. */
  preludeFirst = false;

  setPrelude(prelude: ResponsePrelude): void {
    this.prelude = prelude;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    if (chunk.length > 0) {
      if (this.writes.length === 0) this.preludeFirst = this.prelude !== undefined;
      this.writes.push(chunk);
    }
    callback();
  }

  get body(): string {
    return Buffer.concat(this.writes).toString();
  }
}

class InMemoryKeyStore implements GatewayKeyStore {
  readonly records = new Map<string, GatewayKeyRecord>();
  async findByHash(keyHash: string) {
    return this.records.get(keyHash);
  }
  async create(record: GatewayKeyRecord) {
    this.records.set(record.keyHash, record);
  }
  async list() {
    return [...this.records.values()];
  }
  async revoke() {
    return false;
  }
}

const ENV = {
  LOOKOUT_RUNTIME_CONFIG: JSON.stringify({ providers: { openai: { baseUrl: 'http://openai.test/base' } }, upstreamTimeoutMs: 4_321 }),
};

function fixture(answer: ScriptedUpstreamAnswer) {
  const keys = new InMemoryKeyStore();
  const key = newGatewayKeyRecord(APP_KEY, 'handler-test', 'app', Date.now());
  keys.records.set(key.keyHash, key);
  const upstream = new ScriptedUpstream(answer);
  const sink = new RequestLogSink();
  const builds: RuntimeConfig[] = [];
  const adapters = (_env: unknown, config: RuntimeConfig): GatewayAdapters => {
    builds.push(config);
    return {
      keys,
      upstream,
      responseCache: new InMemoryResponseCache(),
      quotaCounters: new InMemoryQuotaCounters(),
      apiQuotas: new InMemoryQuotaStore(),
      recordRequest: sink.recordRequest,
      metrics: new RecordingGatewayMetrics(),
    };
  };
  const handler = createGatewayHandler(ENV, adapters) as unknown as (
    event: APIGatewayProxyEvent,
    stream: Writable,
    context: Context,
  ) => Promise<void>;
  const invoke = async (event: APIGatewayProxyEvent) => {
    const stream = new RecordingResponseStream();
    await handler(event, stream, { awsRequestId: 'invocation', getRemainingTimeInMillis: () => 60_000 } as Context);
    return stream;
  };
  return { invoke, upstream, sink, builds };
}

/** A REST proxy event as API Gateway sends it: repeated headers in `multiValueHeaders`, names as the client spelled them. */
function proxyEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  return {
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
    headers: { 'Content-Type': 'application/json', 'Lookout-Auth': `Bearer ${APP_KEY}` },
    multiValueHeaders: {
      'Content-Type': ['application/json'],
      'Lookout-Auth': [`Bearer ${APP_KEY}`],
      Authorization: ['Bearer sk-provider'],
      'X-Tag': ['a'],
      'x-tag': ['b'],
    },
    httpMethod: 'POST',
    path: '/openai/v1/chat/completions',
    pathParameters: { proxy: 'openai/v1/chat/completions' },
    queryStringParameters: { 'api-version': '2' },
    multiValueQueryStringParameters: { 'api-version': ['2'] },
    stageVariables: null,
    requestContext: { identity: { sourceIp: '203.0.113.9' } } as APIGatewayProxyEvent['requestContext'],
    resource: '/{proxy+}',
    ...overrides,
  };
}

const sse = [
  'data: {"choices":[{"delta":{"content":"Hel"}}]}\n\n',
  'data: {"choices":[{"delta":{"content":"lo"}}]}\n\n',
  'data: [DONE]\n\n',
];

describe('createGatewayHandler', () => {
  it('exports a handler for the Lambda runtime without needing the environment at import', () => {
    assert.equal(typeof defaultHandler, 'function');
  });

  it('maps the API Gateway event to the upstream request', async () => {
    const { invoke, upstream } = fixture({ chunks: ['{}'] });
    await invoke(proxyEvent());
    const sent = upstream.requests[0]!;
    assert.equal(sent.url.href, 'http://openai.test/base/v1/chat/completions?api-version=2');
    assert.equal(sent.method, 'POST');
    assert.equal(sent.headers.authorization, 'Bearer sk-provider');
    assert.equal(sent.headers['x-tag'], 'a, b', 'header names differing in case are one header');
    assert.equal(sent.headers['lookout-auth'], undefined);
    assert.deepEqual(
      JSON.parse(Buffer.from(sent.body!).toString()).messages,
      [{ role: 'user', content: 'hi' }],
      'the base64 body is decoded',
    );
    assert.equal(sent.headersTimeoutMs, 4_321, 'the config comes from the env the handler was built with');
  });

  it('streams the answer into the response stream as it arrives, status and headers first', async () => {
    const { invoke } = fixture({ status: 200, headers: { 'content-type': 'text/event-stream' }, chunks: sse });
    const stream = await invoke(proxyEvent());
    assert.equal(stream.prelude?.statusCode, 200);
    assert.equal(stream.prelude?.headers?.['content-type'], 'text/event-stream');
    assert.match(stream.prelude?.headers?.['lookout-id'] ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(stream.preludeFirst, true);
    assert.equal(stream.body, sse.join(''));
    assert.ok(stream.writes.length >= sse.length, `each upstream chunk is written on its own (${stream.writes.length} writes)`);
  });

  it('ends the invocation only once the request is logged', async () => {
    const { invoke, sink } = fixture({
      chunks: ['{"id":"c1","model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}'],
    });
    const stream = await invoke(proxyEvent());
    assert.equal(sink.logged.length, 1);
    assert.equal(sink.logged[0]?.record.id, stream.prelude?.headers?.['lookout-id']);
    assert.equal(sink.logged[0]?.record.keyName, 'handler-test');
    assert.equal(sink.logged[0]?.record.totalTokens, 5);
  });

  it("answers Lookout's own errors as JSON through the stream", async () => {
    const { invoke, upstream } = fixture({ chunks: ['{}'] });
    const stream = await invoke(proxyEvent({ headers: {}, multiValueHeaders: { 'Lookout-Auth': ['Bearer lk_wrong'] } }));
    assert.equal(stream.prelude?.statusCode, 401);
    assert.equal(stream.prelude?.headers?.['content-type'], 'application/json');
    assert.equal(JSON.parse(stream.body).error.code, 'invalid_api_key');
    assert.equal(upstream.requests.length, 0);
  });

  it('parses the config and builds the adapters once, on the first invocation', async () => {
    const { invoke, builds } = fixture({ chunks: ['{}'] });
    assert.equal(builds.length, 0);
    await invoke(proxyEvent());
    await invoke(proxyEvent());
    assert.equal(builds.length, 1);
    assert.equal(builds[0]?.providers.openai?.baseUrl, 'http://openai.test/base');
  });

  it('reports a broken config on the first invocation', async () => {
    const handler = createGatewayHandler({ LOOKOUT_RUNTIME_CONFIG: '{not json' }) as unknown as (
      event: APIGatewayProxyEvent,
      stream: Writable,
      context: Context,
    ) => Promise<void>;
    await assert.rejects(handler(proxyEvent(), new RecordingResponseStream(), {} as Context), /LOOKOUT_RUNTIME_CONFIG is not valid JSON/);
  });
});
