/**
 * One client for both sides of every comparison: an undici agent with keep-alive, the same
 * request bytes to the mock (direct) and to the gateway, timed from send to first body byte and
 * to last body byte.
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

export const benchAgent = new Agent({ connections: 32, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });

/** Where a chat completion goes: straight to the mock, or through the gateway. */
export interface ChatTarget {
  name: 'direct' | 'gateway';
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
  lookoutId: string | null;
  /** The answer looked whole: 200, and a stream ended with `[DONE]` or a JSON body with `}`. */
  complete: boolean;
}

export function chatTargets(mockUrl: string, gatewayUrl: string): { direct: ChatTarget; gateway: ChatTarget } {
  return {
    direct: { name: 'direct', url: `${mockUrl}/v1/chat/completions` },
    gateway: { name: 'gateway', url: `${gatewayUrl}/openai/v1/chat/completions` },
  };
}

/** The request every scenario sends; both sides get the same headers (the mock ignores Lookout's). */
export function chatRequest(appKey: string, stream: boolean, scenario: string): { headers: Record<string, string>; body: Buffer } {
  return {
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer sk-bench-not-a-real-key',
      'lookout-auth': `Bearer ${appKey}`,
      'lookout-user-id': 'bench-user',
      'lookout-property-scenario': scenario,
    },
    body: Buffer.from(
      JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'You are a benchmark.' },
          { role: 'user', content: 'Say hello.' },
        ],
        stream,
      }),
    ),
  };
}

const STREAM_END = Buffer.from('data: [DONE]\n\n');

export async function timedChatRequest(
  target: ChatTarget,
  chat: { headers: Record<string, string>; body: Buffer },
): Promise<TimedResponse> {
  const start = performance.now();
  const response = await request(target.url, { method: 'POST', headers: chat.headers, body: chat.body, dispatcher: benchAgent });
  let firstByteAt: number | undefined;
  let bytes = 0;
  let tail: Buffer = Buffer.alloc(0);
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    firstByteAt ??= performance.now();
    bytes += chunk.length;
    tail = chunk.length >= STREAM_END.length ? chunk : Buffer.concat([tail, chunk]).subarray(-STREAM_END.length);
  }
  const lastByteAt = performance.now();
  const end = tail.subarray(-STREAM_END.length);
  const id = response.headers['lookout-id'];
  return {
    status: response.statusCode,
    ttfbMs: (firstByteAt ?? lastByteAt) - start,
    totalMs: lastByteAt - start,
    lastByteAt,
    bytes,
    lookoutId: typeof id === 'string' ? id : null,
    complete: response.statusCode === 200 && (end.equals(STREAM_END) || end.at(-1) === 0x7d),
  };
}
