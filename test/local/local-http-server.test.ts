import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, StreamifyHandler } from 'aws-lambda';
import { createLocalHttpServer, type LocalHttpServer } from '../../lambdas/local/local-http-server.js';
import type { LocalResponseStream } from '../../lambdas/local/lambda-streaming-globals.js';

/**
 * The local API Gateway stand-in on a real loopback port, with a stand-in gateway handler whose
 * "request-log write" (the work after the answer) finishes only when the test lets it.
 */

const BOUND = 4;

interface Invocation {
  id: string;
  writeLog: () => void;
}

let server: LocalHttpServer;
let url: string;
const started: Invocation[] = [];
const logged = new Set<string>();
let pending = 0;
let peakPending = 0;
let mode: 'buffered' | 'streamed' = 'buffered';

const gateway = (async (event: APIGatewayProxyEvent, stream: LocalResponseStream) => {
  const id = event.path.slice(1);
  if (mode === 'streamed') {
    stream.setContentType('text/event-stream');
    stream.write('data: 1\n\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    stream.write('data: 2\n\n');
  } else {
    stream.setContentType('application/json');
    stream.write(JSON.stringify({ id }));
  }
  await new Promise<void>((resolve) => stream.end(resolve));
  pending++;
  peakPending = Math.max(peakPending, pending);
  await new Promise<void>((resolve) => started.push({ id, writeLog: resolve }));
  pending--;
  assert.ok(!logged.has(id), `${id} logged twice`);
  logged.add(id);
}) as unknown as StreamifyHandler<APIGatewayProxyEvent, unknown>;

before(async () => {
  server = createLocalHttpServer({
    gateway,
    queryApi: async (): Promise<APIGatewayProxyResult> => ({ statusCode: 404, body: '' }),
    maxBodyBytes: 1024,
    maxPendingLogWrites: BOUND,
    isHealthy: async () => true,
    onInvocationError: (_route, error) => {
      throw error;
    },
  });
  server.server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  url = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
});

after(() => server.close(0));

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('local HTTP server: the bound on pending request-log writes', () => {
  it('holds new requests while the bound is reached, then answers and logs every one exactly once', async () => {
    mode = 'buffered';
    const total = BOUND * 5;
    const answered: string[] = [];
    const requests = Array.from({ length: total }, (_, i) =>
      fetch(`${url}/req-${i}`, { method: 'POST', body: '{}' }).then(async (response) => {
        assert.equal(response.status, 200);
        answered.push(((await response.json()) as { id: string }).id);
      }),
    );
    await waitFor(() => started.length === BOUND, `${BOUND} answered requests writing their logs`);
    // Give the held requests every chance to slip through: many turns of the event loop, and
    // the bound must still hold them.
    for (let turn = 0; turn < 200; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(answered.length, BOUND, 'no request past the bound is answered while the logs are pending');

    let released = 0;
    while (logged.size < total) {
      await waitFor(() => started.length > released, 'the next log write');
      started[released++]!.writeLog();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(requests);
    await server.idle();
    assert.equal(logged.size, total, 'every request was logged');
    assert.deepEqual([...answered].sort(), [...logged].sort());
    assert.ok(peakPending <= BOUND, `at most ${BOUND} logs were pending at once, saw ${peakPending}`);
  });
});

describe('local HTTP server: the response on the wire', () => {
  it('sends a buffered answer whole, with its Content-Length', async () => {
    mode = 'buffered';
    const before = started.length;
    const response = fetch(`${url}/req-length`);
    await waitFor(() => started.length > before, 'the answer');
    started.at(-1)!.writeLog();
    const answer = await response;
    assert.equal(answer.headers.get('content-length'), String(JSON.stringify({ id: 'req-length' }).length));
    assert.equal(answer.headers.get('transfer-encoding'), null);
    assert.deepEqual(await answer.json(), { id: 'req-length' });
  });

  it('streams an answer that goes on past its first write, the first event arriving before the last is written', async () => {
    mode = 'streamed';
    const before = started.length;
    const answer = await fetch(`${url}/req-stream`);
    assert.equal(answer.headers.get('content-type'), 'text/event-stream');
    assert.equal(answer.headers.get('transfer-encoding'), 'chunked');
    const reader = answer.body!.getReader();
    const first = await reader.read();
    assert.equal(Buffer.from(first.value!).toString(), 'data: 1\n\n', 'the first event came alone, ahead of the second');
    let rest = '';
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += Buffer.from(part.value).toString();
    assert.equal(rest, 'data: 2\n\n');
    await waitFor(() => started.length > before, 'the log write');
    started.at(-1)!.writeLog();
  });
});
