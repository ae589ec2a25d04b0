/**
 * In-memory stand-ins for the gateway pipeline's tests: requests, contexts, an upstream that
 * answers from a script, a key authenticator, a request-log sink and a logger that remember what
 * they were given. No DynamoDB, no network.
 */
import { PassThrough, Readable } from 'node:stream';
import { GatewayContext, type FinishedAnswer, type GatewayStep } from '../../lambdas/app/gateway/gateway-context.js';
import type { GatewayKeyRecord, GatewayKeyRole } from '../../lambdas/core/auth/gateway-key.js';
import type { HttpRequest } from '../../lambdas/core/http/http-request.js';
import { LookoutError } from '../../lambdas/core/lookout-error.js';
import type { GatewayMetrics, LoggedRequestRecord } from '../../lambdas/core/ports/gateway-metrics.js';
import type { Upstream, UpstreamRequest, UpstreamResponse } from '../../lambdas/core/ports/upstream.js';
import type { RequestLogWrite } from '../../lambdas/core/request-log/request-log-write.js';
import type { RequestLogRecord } from '../../lambdas/core/request-log/request-log-record.js';
import type { RuntimeConfig, RuntimeConfigInput } from '../../lambdas/contract/runtime-config-schema.js';
import { parseRuntimeConfig } from '../../lambdas/core/runtime-config.js';
import type { CapturedBodies } from '../../lambdas/app/request-log-recorder.js';

export const APP_KEY = 'lk_test_app_key';
export const PROVIDER_URL = 'http://openai.test';

/** A runtime config as the handler would parse it; openai and anthropic point at `PROVIDER_URL`. */
export function testConfig(overrides: Partial<RuntimeConfigInput> = {}): RuntimeConfig {
  return parseRuntimeConfig({
    LOOKOUT_RUNTIME_CONFIG: JSON.stringify({
      providers: { openai: { baseUrl: PROVIDER_URL }, anthropic: { baseUrl: PROVIDER_URL } },
      ...overrides,
    }),
  });
}

/** A chat completion request with the test app key, as the handler hands it over. */
export function httpRequest(overrides: Omit<Partial<HttpRequest>, 'body'> & { body?: Buffer | string } = {}): HttpRequest {
  const body = overrides.body ?? JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  return {
    method: 'POST',
    path: '/openai/v1/chat/completions',
    rawQuery: '',
    sourceIp: '203.0.113.9',
    ...overrides,
    headers: {
      'content-type': 'application/json',
      'lookout-auth': `Bearer ${APP_KEY}`,
      authorization: 'Bearer sk-provider',
      ...overrides.headers,
    },
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
  };
}

export function contextFor(request: HttpRequest = httpRequest(), id = 'generated-id'): GatewayContext {
  return new GatewayContext(request, 1_000, id);
}

/** Runs one step with a `next` that only counts; resolves with whether `next` ran. */
export async function runStep(
  step: GatewayStep,
  context: GatewayContext,
  next: () => Promise<void> = async () => {},
): Promise<{ nextCalled: boolean }> {
  let nextCalled = false;
  await step(context, async () => {
    nextCalled = true;
    await next();
  });
  return { nextCalled };
}

/** Like `runStep`, for a step expected to refuse: resolves with its `LookoutError`. */
export async function refusal(step: GatewayStep, context: GatewayContext): Promise<{ error: LookoutError; nextCalled: boolean }> {
  let nextCalled = false;
  try {
    await step(context, async () => {
      nextCalled = true;
    });
  } catch (error) {
    if (error instanceof LookoutError) return { error, nextCalled };
    throw error;
  }
  throw new Error('expected the step to throw a LookoutError');
}

/** A finished answer as the relay reports it, for steps that wrap it. */
export function finishedAnswer(overrides: Partial<FinishedAnswer> = {}): FinishedAnswer {
  return {
    status: 200,
    outcome: 'completed',
    errorCode: null,
    stream: false,
    endedAtMs: 1_250,
    firstByteAtMs: 1_200,
    usage: null,
    reportedModel: null,
    responseBodyTruncated: false,
    responseBytes: Buffer.from('{"ok":true}'),
    ...overrides,
  };
}

export interface ScriptedUpstreamAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** Chunks written one by one, each on its own turn of the event loop. */
  chunks?: Array<string | Buffer>;
  /** Rejects `send` with this instead of answering. */
  error?: Error;
  /** Fails the body with this after the chunks, as a connection reset mid-answer would. */
  bodyError?: Error;
}

/** An `Upstream` that answers every request with `answer` and remembers what it was sent. */
export class ScriptedUpstream implements Upstream {
  readonly requests: UpstreamRequest[] = [];
  /** The bodies handed out, to tell whether the relay destroyed one. */
  readonly bodies: Readable[] = [];

  constructor(public answer: ScriptedUpstreamAnswer = {}) {}

  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    this.requests.push(request);
    if (this.answer.error) throw this.answer.error;
    const body = new PassThrough();
    this.bodies.push(body);
    const chunks = this.answer.chunks ?? [];
    void (async () => {
      for (const chunk of chunks) {
        await new Promise((resolve) => setImmediate(resolve));
        if (body.destroyed) return;
        body.write(chunk);
      }
      await new Promise((resolve) => setImmediate(resolve));
      if (this.answer.bodyError) body.destroy(this.answer.bodyError);
      else body.end();
    })();
    return { status: this.answer.status ?? 200, headers: { 'content-type': 'application/json', ...this.answer.headers }, body };
  }
}

/** Accepts `APP_KEY` (named "test-app") and refuses anything else as the real authenticator does. */
export class FakeAuthenticator {
  readonly seen: Array<{ key: string | null; needed: GatewayKeyRole }> = [];

  async authenticate(key: string | null, needed: GatewayKeyRole): Promise<GatewayKeyRecord> {
    this.seen.push({ key, needed });
    if (!key) throw new LookoutError(401, 'missing_api_key', 'Send your Lookout key as "Lookout-Auth: Bearer <key>" (or Helicone-Auth).');
    if (key !== APP_KEY) throw new LookoutError(401, 'invalid_api_key', 'The Lookout key is not valid or has been revoked.');
    return { keyHash: 'hash', keyPrefix: 'lk_test', name: 'test-app', role: 'app', createdAt: '2026-01-01T00:00:00.000Z' };
  }
}

export interface LoggedRequest {
  record: Omit<RequestLogRecord, 'requestBody' | 'responseBody'>;
  bodies: CapturedBodies;
}

/** The request log in memory. */
export class RequestLogSink {
  readonly logged: LoggedRequest[] = [];
  failWith: Error | null = null;

  /** How each write ends, as the recorder would say. */
  writeEndsAs: RequestLogWrite = 'stored';

  readonly recordRequest = async (record: LoggedRequest['record'], bodies: CapturedBodies): Promise<RequestLogWrite> => {
    if (this.failWith) throw this.failWith;
    this.logged.push({ record, bodies });
    return this.writeEndsAs;
  };
}

/** The gateway's metrics in memory: what each logged request was reported with. */
export class RecordingGatewayMetrics implements GatewayMetrics {
  readonly reported: { record: LoggedRequestRecord; logWrite: RequestLogWrite }[] = [];

  requestLogged(record: LoggedRequestRecord, logWrite: RequestLogWrite): void {
    this.reported.push({ record, logWrite });
  }
}

export interface LogLine {
  level: 'warn' | 'error';
  message: string;
  extra: Record<string, unknown>;
}

/** A CloudWatch log stand-in. */
export class RecordingLogger {
  readonly lines: LogLine[] = [];

  warn(message: string, extra: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, extra });
  }

  error(message: string, extra: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, extra });
  }
}

/** Reads a response body to the end. */
export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** A body stream that yields the given chunks, for steps that take an upstream body. */
export function bodyOf(...chunks: string[]): Readable {
  return Readable.from(chunks.map((c) => Buffer.from(c)));
}
