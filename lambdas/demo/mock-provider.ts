/**
 * A loopback stand-in for the OpenAI and Anthropic APIs: the tests' provider (the real ones are out
 * of reach there) and `npm run demo`'s, so a new user sees Lookout work without a provider key. It is
 * never used by `npm start`. It answers like the providers do, buffered and as SSE, records every
 * request it receives, and lets a test script the next answer, hold a stream before its last
 * event, or fail.
 *
 * A client may also steer one answer with request headers, which the gateway forwards like any
 * provider header (the demo's traffic uses them; no provider reads them):
 * - `x-mock-status: 503`: answer that error, in the provider's own error shape;
 * - `x-mock-latency-ms: 800`: wait that long before answering (the head, so it is the TTFT too);
 * - `x-mock-prompt-tokens: 1200`, `x-mock-completion-tokens: 300`: the usage to report.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: any;
}

export interface MockStreamGate {
  /** True once the mock has written the stream's last event. */
  readonly lastEventSent: boolean;
  release(): void;
}

export const MOCK_TEXT_PIECES = ['Hello', ' from', ' the', ' mock', ' provider.'];
export const MOCK_TEXT = MOCK_TEXT_PIECES.join('');
/** Token counts the mock reports; `prompt` counts every input token, cached and cache-written included. */
export const MOCK_USAGE = { prompt: 17, completion: 5, cached: 0, cacheWrite: 0 };

/** The request headers that steer one answer (see the module comment). */
export const MOCK_HEADERS = {
  status: 'x-mock-status',
  latencyMs: 'x-mock-latency-ms',
  promptTokens: 'x-mock-prompt-tokens',
  completionTokens: 'x-mock-completion-tokens',
} as const;

type MockUsage = typeof MOCK_USAGE;

type ScriptedAnswer = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export class MockProvider {
  readonly requests: RecordedRequest[] = [];
  /** Every SSE event body (the text after `data: `) written, per streamed request, in order. */
  readonly sentEvents: string[][] = [];
  connections = 0;
  /** Streams whose client hung up before the mock had written everything. */
  streamsCutOff = 0;
  private readonly scripted: ScriptedAnswer[] = [];
  private gate: { promise: Promise<void>; release(): void; lastEventSent: boolean } | undefined;
  usage = { ...MOCK_USAGE };

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Listens on 127.0.0.1, on a free port unless `port` is given. */
  static async start(port = 0): Promise<MockProvider> {
    const server = createServer();
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    const mock = new MockProvider(server, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    server.on('connection', () => mock.connections++);
    server.on('request', (req, res) => void mock.answer(req, res));
    return mock;
  }

  /** The next request gets this answer instead of the provider emulation. */
  scriptNext(answer: ScriptedAnswer): void {
    this.scripted.push(answer);
  }

  /** The next stream waits before its final event until `release()`. */
  holdLastEvent(): MockStreamGate {
    let release!: () => void;
    const promise = new Promise<void>((r) => (release = r));
    const gate = { promise, release, lastEventSent: false };
    this.gate = gate;
    return {
      get lastEventSent() {
        return gate.lastEventSent;
      },
      release,
    };
  }

  get lastRequest(): RecordedRequest {
    return this.requests.at(-1)!;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let json: any;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json };
    this.requests.push(recorded);
    const scripted = this.scripted.shift();
    if (scripted) return void (await scripted(recorded, res));
    const path = (req.url ?? '').split('?')[0]!;
    const latencyMs = wholeNumberHeader(req.headers, MOCK_HEADERS.latencyMs);
    if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs));
    if (res.destroyed) return;
    const status = wholeNumberHeader(req.headers, MOCK_HEADERS.status);
    if (status && status >= 400) return providerError(res, path, status);
    const usage = this.requestUsage(req.headers);
    if (path.endsWith('/v1/chat/completions')) return this.chatCompletion(recorded, res, usage);
    if (path.endsWith('/v1/messages')) return this.anthropicMessage(recorded, res, usage);
    if (path.endsWith('/v1/responses')) return this.response(recorded, res, usage);
    if (path.endsWith('/v1/embeddings')) return this.embeddings(recorded, res, usage);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `mock has no ${path}`, type: 'invalid_request_error' } }));
  }

  /** The usage to report: the mock's own, with any counts the request's headers give. */
  private requestUsage(headers: IncomingMessage['headers']): MockUsage {
    const prompt = wholeNumberHeader(headers, MOCK_HEADERS.promptTokens);
    const completion = wholeNumberHeader(headers, MOCK_HEADERS.completionTokens);
    return { ...this.usage, ...(prompt !== undefined ? { prompt } : {}), ...(completion !== undefined ? { completion } : {}) };
  }

  private async chatCompletion(req: RecordedRequest, res: ServerResponse, usageCounts: MockUsage): Promise<void> {
    const model = req.json?.model ?? 'gpt-4o-mini';
    const id = 'chatcmpl-mock123';
    const created = 1_764_000_000;
    const usage = openAiUsage(usageCounts);
    if (!req.json?.stream) {
      return sendJson(
        res,
        200,
        {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: MOCK_TEXT, refusal: null }, logprobs: null, finish_reason: 'stop' }],
          usage,
          service_tier: 'default',
          system_fingerprint: 'fp_mock',
        },
        { 'x-request-id': 'req_mock_openai' },
      );
    }
    const includeUsage = req.json?.stream_options?.include_usage === true;
    await this.stream(res, this.chatStreamEvents(model, includeUsage, usageCounts));
  }

  /** The SSE text the mock streams for a chat completion, as OpenAI formats it. */
  chatStreamText(model: string, includeUsage: boolean): string {
    return this.chatStreamEvents(model, includeUsage, this.usage)
      .map((e) => `data: ${e.data}\n\n`)
      .join('');
  }

  private chatStreamEvents(model: string, includeUsage: boolean, usage: MockUsage): { data: string }[] {
    const id = 'chatcmpl-mock123';
    const created = 1_764_000_000;
    const chunk = (delta: object, finish: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: 'fp_mock',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
    return [
      chunk({ role: 'assistant', content: '', refusal: null }, null),
      ...MOCK_TEXT_PIECES.map((piece) => chunk({ content: piece }, null)),
      chunk({}, 'stop'),
      ...(includeUsage
        ? [
            {
              id,
              object: 'chat.completion.chunk',
              created,
              model,
              service_tier: 'default',
              system_fingerprint: 'fp_mock',
              choices: [],
              usage: openAiUsage(usage),
            },
          ]
        : []),
    ]
      .map((e) => ({ data: JSON.stringify(e) }))
      .concat({ data: '[DONE]' });
  }

  private async response(req: RecordedRequest, res: ServerResponse, usageCounts: MockUsage): Promise<void> {
    const model = req.json?.model ?? 'gpt-4.1-mini';
    const { prompt, cached, completion } = usageCounts;
    const usage = {
      input_tokens: prompt,
      input_tokens_details: { cached_tokens: cached },
      output_tokens: completion,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: prompt + completion,
    };
    const message = {
      id: 'msg_resp_mock',
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: MOCK_TEXT, annotations: [] }],
    };
    const response = (status: string, output: object[], withUsage: boolean) => ({
      id: 'resp_mock123',
      object: 'response',
      created_at: 1_764_000_000,
      status,
      model,
      output,
      usage: withUsage ? usage : null,
    });
    if (!req.json?.stream) return sendJson(res, 200, response('completed', [message], true));
    let sequence = 0;
    const event = (type: string, body: object) => ({ event: type, data: JSON.stringify({ type, sequence_number: sequence++, ...body }) });
    await this.stream(res, [
      event('response.created', { response: response('in_progress', [], false) }),
      event('response.output_item.added', { output_index: 0, item: { ...message, status: 'in_progress', content: [] } }),
      ...MOCK_TEXT_PIECES.map((delta) =>
        event('response.output_text.delta', { item_id: message.id, output_index: 0, content_index: 0, delta }),
      ),
      event('response.output_text.done', { item_id: message.id, output_index: 0, content_index: 0, text: MOCK_TEXT }),
      event('response.completed', { response: response('completed', [message], true) }),
    ]);
  }

  private embeddings(req: RecordedRequest, res: ServerResponse, usage: MockUsage): void {
    const inputs: unknown[] = Array.isArray(req.json?.input) ? req.json.input : [req.json?.input];
    sendJson(res, 200, {
      object: 'list',
      data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: [0.1, -0.2, 0.3] })),
      model: req.json?.model ?? 'text-embedding-3-small',
      usage: { prompt_tokens: usage.prompt, total_tokens: usage.prompt },
    });
  }

  private async anthropicMessage(req: RecordedRequest, res: ServerResponse, usageCounts: MockUsage): Promise<void> {
    const model = req.json?.model ?? 'claude-sonnet-4-5-20250929';
    const id = 'msg_mock123';
    const { prompt, cached, cacheWrite, completion } = usageCounts;
    const usage = {
      input_tokens: prompt - cached - cacheWrite,
      cache_creation_input_tokens: cacheWrite,
      cache_read_input_tokens: cached,
      output_tokens: completion,
    };
    if (!req.json?.stream) {
      return sendJson(
        res,
        200,
        {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [{ type: 'text', text: MOCK_TEXT }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage,
        },
        { 'request-id': 'req_mock_anthropic' },
      );
    }
    const events: { event: string; data: string }[] = [
      {
        event: 'message_start',
        data: JSON.stringify({
          type: 'message_start',
          message: {
            id,
            type: 'message',
            role: 'assistant',
            model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { ...usage, output_tokens: 1 },
          },
        }),
      },
      {
        event: 'content_block_start',
        data: JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      },
      { event: 'ping', data: JSON.stringify({ type: 'ping' }) },
      ...MOCK_TEXT_PIECES.map((text) => ({
        event: 'content_block_delta',
        data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
      })),
      { event: 'content_block_stop', data: JSON.stringify({ type: 'content_block_stop', index: 0 }) },
      {
        event: 'message_delta',
        data: JSON.stringify({
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: completion },
        }),
      },
      { event: 'message_stop', data: JSON.stringify({ type: 'message_stop' }) },
    ];
    await this.stream(res, events);
  }

  /** Writes SSE events one by one with a short pause, honouring a held gate before the last. */
  private async stream(res: ServerResponse, events: { event?: string; data: string }[]): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': 'req_mock_stream',
    });
    const sent: string[] = [];
    this.sentEvents.push(sent);
    res.once('close', () => {
      if (!res.writableEnded) this.streamsCutOff++;
    });
    const gate = this.gate;
    this.gate = undefined;
    for (const [i, e] of events.entries()) {
      if (i === events.length - 1 && gate) await gate.promise;
      if (res.destroyed) return;
      res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${e.data}\n\n`);
      sent.push(e.data);
      if (i === events.length - 1 && gate) gate.lastEventSent = true;
      await new Promise((r) => setTimeout(r, 5));
    }
    res.end();
  }
}

function openAiUsage(usage: MockUsage) {
  return {
    prompt_tokens: usage.prompt,
    completion_tokens: usage.completion,
    total_tokens: usage.prompt + usage.completion,
    prompt_tokens_details: { cached_tokens: usage.cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function wholeNumberHeader(headers: IncomingMessage['headers'], name: string): number | undefined {
  const value = Number(headers[name]);
  return headers[name] !== undefined && Number.isInteger(value) && value >= 0 ? value : undefined;
}

// What each provider says with such a status (Anthropic's 529 is its overload).
const OPENAI_ERROR_TYPES: Readonly<Record<number, string>> = { 429: 'rate_limit_exceeded', 500: 'server_error', 503: 'server_error' };
const ANTHROPIC_ERROR_TYPES: Readonly<Record<number, string>> = {
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  529: 'overloaded_error',
};

/** An error answer in the shape of the provider the path belongs to. */
function providerError(res: ServerResponse, path: string, status: number): void {
  const message = `mock provider: answering ${status} as asked by ${MOCK_HEADERS.status}`;
  if (path.endsWith('/v1/messages')) {
    return sendJson(res, status, { type: 'error', error: { type: ANTHROPIC_ERROR_TYPES[status] ?? 'api_error', message } });
  }
  const type = OPENAI_ERROR_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
  sendJson(res, status, { error: { message, type, param: null, code: type } });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
