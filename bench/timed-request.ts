/**
 * One client for every side of every comparison: an undici agent with keep-alive, the same
 * request bytes to the mock (direct) and to each gateway, timed from send to first body byte, to
 * each SSE event's end and to the last body byte.
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

/** 32 connections per origin: the throughput runs hold 32 requests in flight against each. */
export const benchAgent = new Agent({ connections: 32, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });

/** Where a chat completion goes: straight to the mock, or through one of the gateways. */
export interface ChatTarget {
  name: string;
  url: string;
}

export interface TimedResponse {
  status: number;
  /** Send to first body byte. */
  ttfbMs: number;
  /** Send to last body byte. */
  totalMs: number;
  /** `performance.now()` when the last byte arrived. */
  lastByteAt: number;
  bytes: number;
  /**
   * Send to the arrival of each SSE event's end (its blank line), in order; empty for a JSON
   * answer. Events that came in one read share its time.
   */
  eventOffsetsMs: number[];
  lookoutId: string | null;
  /** The `helicone-cache` response header (`HIT` or `MISS`), when the gateway used its response cache. */
  cache: string | null;
  /** `helicone-ratelimit-limit` and `-remaining`, which the gateway sends when a quota or `RateLimit-Policy` applies. */
  rateLimit: { limit: string | null; remaining: string | null };
  /** The answer looked whole: 200, and a stream ended with `[DONE]` or a JSON body with `}`. */
  complete: boolean;
}

export interface ChatRequest {
  headers: Record<string, string>;
  body: Buffer;
}

export function chatTargets(mockUrl: string, gatewayUrl: string): { direct: ChatTarget; gateway: ChatTarget } {
  return {
    direct: { name: 'direct', url: `${mockUrl}/v1/chat/completions` },
    gateway: { name: 'gateway', url: `${gatewayUrl}/openai/v1/chat/completions` },
  };
}

/**
 * The request every scenario sends. Every side gets the same headers: Lookout's (the mock and
 * the other gateways ignore them) and Portkey's routing headers (`portkeyUpstream`, the mock's
 * `/v1`; the others ignore them). With `includeUsage` a stream asks for its usage itself, as
 * OpenAI SDK users do, so Lookout adds nothing upstream and every side gets the same events.
 * `prompt` replaces the user message, for bodies that must differ (a response cache's MISS);
 * `maxTokens` bounds the answer, which is what a usd quota reserves for the output.
 */
export function chatRequest(
  appKey: string,
  stream: boolean,
  scenario: string,
  options: { portkeyUpstream?: string; includeUsage?: boolean; prompt?: string; maxTokens?: number } = {},
): ChatRequest {
  const { portkeyUpstream, includeUsage = false, prompt = 'Say hello.', maxTokens } = options;
  return {
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer sk-bench-not-a-real-key',
      'lookout-auth': `Bearer ${appKey}`,
      'lookout-user-id': 'bench-user',
      'lookout-property-scenario': scenario,
      ...(portkeyUpstream ? { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': portkeyUpstream } : {}),
    },
    body: Buffer.from(
      JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'You are a benchmark.' },
          { role: 'user', content: prompt },
        ],
        stream,
        ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
        ...(stream && includeUsage ? { stream_options: { include_usage: true } } : {}),
      }),
    ),
  };
}

const STREAM_END = Buffer.from('data: [DONE]\n\n');
const LF = 0x0a;

export async function timedChatRequest(target: ChatTarget, chat: ChatRequest): Promise<TimedResponse> {
  const start = performance.now();
  const response = await request(target.url, { method: 'POST', headers: chat.headers, body: chat.body, dispatcher: benchAgent });
  let firstByteAt: number | undefined;
  let bytes = 0;
  let tail: Buffer = Buffer.alloc(0);
  const eventOffsetsMs: number[] = [];
  let previousByte = -1;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    const now = performance.now();
    firstByteAt ??= now;
    bytes += chunk.length;
    // An SSE event ends at a blank line: two LFs in a row, possibly across reads.
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) {
      const before = i === 0 ? previousByte : chunk[i - 1];
      if (before === LF) eventOffsetsMs.push(now - start);
    }
    if (chunk.length > 0) previousByte = chunk[chunk.length - 1]!;
    tail = chunk.length >= STREAM_END.length ? chunk : Buffer.concat([tail, chunk]).subarray(-STREAM_END.length);
  }
  const lastByteAt = performance.now();
  const end = tail.subarray(-STREAM_END.length);
  const id = response.headers['lookout-id'];
  const cache = response.headers['helicone-cache'];
  const limit = response.headers['helicone-ratelimit-limit'];
  const remaining = response.headers['helicone-ratelimit-remaining'];
  const isStream = String(response.headers['content-type'] ?? '').startsWith('text/event-stream');
  return {
    status: response.statusCode,
    ttfbMs: (firstByteAt ?? lastByteAt) - start,
    totalMs: lastByteAt - start,
    lastByteAt,
    bytes,
    eventOffsetsMs: isStream ? eventOffsetsMs : [],
    lookoutId: typeof id === 'string' ? id : null,
    cache: typeof cache === 'string' ? cache : null,
    rateLimit: { limit: typeof limit === 'string' ? limit : null, remaining: typeof remaining === 'string' ? remaining : null },
    complete: response.statusCode === 200 && (end.equals(STREAM_END) || end.at(-1) === 0x7d),
  };
}
