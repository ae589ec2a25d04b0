/**
 * The bench's upstream: the tests' loopback MockProvider, in a process of its own so the gateway
 * process holds only the gateway. By default it answers as the tests know it (streams with 5 ms
 * between events). `streamMode` switches every later streamed chat completion to a bench answer:
 * the same events with no pauses (`zero-gap`), or a large stream of about `bytes` (`large`).
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { MockProvider, sendJson, type RecordedRequest } from '../lambdas/demo/mock-provider.js';
import { serveBench } from './child-ipc.js';
import { cpuTime } from './process-cpu-time.js';

export type BenchStreamMode = { kind: 'zero-gap' } | { kind: 'large'; bytes: number };

export interface MockReady {
  url: string;
}

const mock = await MockProvider.start();
let mode: BenchStreamMode | undefined;

/** Answers every request once armed; it re-arms itself first, so concurrent requests all get it. */
async function benchAnswer(req: RecordedRequest, res: ServerResponse): Promise<void> {
  mock.scriptNext(benchAnswer);
  if (req.json?.stream !== true || !mode) {
    return sendJson(res, 400, {
      error: { message: 'the bench mock only streams once a stream mode is set', type: 'invalid_request_error' },
    });
  }
  const events = sseEvents(req.json?.model ?? 'gpt-4o-mini', req.json?.stream_options?.include_usage === true);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': 'req_mock_stream',
  });
  if (mode.kind === 'zero-gap') {
    for (const event of events) res.write(event);
    res.end();
    return;
  }
  await writeLargeStream(res, events, mode.bytes);
}

const eventCache = new Map<string, string[]>();

/** The mock's own chat stream, one string per SSE event (`data: ...\n\n`). */
function sseEvents(model: string, includeUsage: boolean): string[] {
  const key = `${model}|${includeUsage}`;
  let events = eventCache.get(key);
  if (!events) {
    events = mock
      .chatStreamText(model, includeUsage)
      .split('\n\n')
      .filter(Boolean)
      .map((e) => `${e}\n\n`);
    eventCache.set(key, events);
  }
  return events;
}

/**
 * The mock's stream with its text pieces replaced by content chunks of ~1 KB each, as many as
 * make `bytes`, written in batches and only as fast as the reader takes them (backpressure).
 */
async function writeLargeStream(res: ServerResponse, events: string[], bytes: number): Promise<void> {
  const [roleEvent, firstContentEvent] = events;
  const tail = events.filter((e) => e.includes('"finish_reason":"stop"') || e.includes('"choices":[]') || e.includes('[DONE]'));
  const chunk = JSON.parse(firstContentEvent!.slice('data: '.length));
  chunk.choices[0].delta.content = 'All work and no play makes Jack a dull boy. '.repeat(23);
  const contentEvent = `data: ${JSON.stringify(chunk)}\n\n`;
  const batch = Buffer.from(contentEvent.repeat(16));
  // Counted without the `"usage":null` members, so the client gets as many events either way.
  const batches = Math.ceil(bytes / Buffer.byteLength(contentEvent.replace(',"usage":null', '').repeat(16)));
  res.write(roleEvent);
  for (let i = 0; i < batches && !res.destroyed; i++) {
    if (!res.write(batch)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  for (const event of tail) res.write(event);
  res.end();
}

serveBench(
  { url: mock.url } satisfies MockReady,
  {
    cpuTime,
    streamMode(next: BenchStreamMode) {
      const wasArmed = mode !== undefined;
      mode = next;
      if (!wasArmed) mock.scriptNext(benchAnswer);
      return { ok: true };
    },
    /** Forgets the requests the mock recorded (it keeps every one, which would only grow here). */
    forgetRequests() {
      const count = mock.requests.length;
      mock.requests.length = 0;
      mock.sentEvents.length = 0;
      return { count };
    },
  },
  () => mock.close(),
);
