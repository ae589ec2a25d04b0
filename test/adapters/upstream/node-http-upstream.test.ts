/**
 * The upstream adapter against loopback servers: it streams, maps failures to Lookout errors, and
 * its connect-time guard keeps generic-route targets off private addresses, names resolved
 * through DNS and IP literals alike, without ever opening a connection to them. A body that stops
 * short (the upstream hung up, went silent, or the client went away) errors rather than ending,
 * so the relay can tell a truncated answer from a whole one.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { NodeHttpUpstream } from '../../../lambdas/adapters/upstream/node-http-upstream.js';
import { LookoutError } from '../../../lambdas/core/lookout-error.js';
import type { UpstreamRequest } from '../../../lambdas/core/ports/upstream.js';
import { freePort } from '../../../lambdas/local/free-port.js';

interface SeenRequest {
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let port: number;
let connections = 0;
const seen: SeenRequest[] = [];
/** Resolves when the server's side of the latest `/hold` or `/slow` connection closes. */
let heldConnectionClosed: Promise<void> = Promise.resolve();
let heldRequestArrived: () => void = () => {};
const gathering: Array<() => void> = [];
const GATHER_COUNT = 32;

before(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({ method: req.method!, headers: req.headers, body: Buffer.concat(chunks).toString() });
    const path = new URL(req.url!, 'http://x').pathname;
    if (path === '/slow' || path === '/hold') {
      heldConnectionClosed = once(req.socket, 'close').then(() => undefined);
      heldRequestArrived();
      if (path === '/hold') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: one\n\n');
      }
      // Far later than any timeout below; the tests end these connections themselves.
      const late = setTimeout(() => res.end('late'), 10_000);
      res.once('close', () => clearTimeout(late));
      return;
    }
    if (path === '/echo') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{}');
    }
    if (path === '/repeated') {
      res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
      res.setHeader('X-Multi', ['one', 'two']);
      res.setHeader('Content-Type', 'application/json');
      return res.end('{}');
    }
    if (path === '/cut-sized' || path === '/cut-chunked') {
      res.writeHead(200, path === '/cut-sized' ? { 'content-length': '1000' } : {});
      res.write('data: one\n\n');
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    if (path === '/gather') {
      // Answers nobody until all GATHER_COUNT requests are in at once.
      gathering.push(() => res.end('{}'));
      if (gathering.length === GATHER_COUNT) for (const answer of gathering.splice(0)) answer();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'X-Upstream': 'yes' });
    res.write('data: one\n\n');
    setTimeout(() => res.end('data: two\n\n'), 20);
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as { port: number }).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const upstream = new NodeHttpUpstream();

function request(url: string, overrides: Partial<UpstreamRequest> = {}): UpstreamRequest {
  return {
    url: new URL(url),
    method: 'GET',
    headers: {},
    body: undefined,
    signal: new AbortController().signal,
    headersTimeoutMs: 5_000,
    refusePrivateAddresses: false,
    ...overrides,
  };
}

async function refusedWith(url: string, overrides: Partial<UpstreamRequest> = {}): Promise<LookoutError> {
  try {
    await upstream.send(request(url, overrides));
  } catch (error) {
    assert.ok(error instanceof LookoutError, `expected a LookoutError, got ${String(error)}`);
    return error;
  }
  throw new Error(`expected ${url} to be refused`);
}

async function readAll(body: Readable): Promise<string> {
  const chunks: string[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array).toString());
  return chunks.join('');
}

/** The error the body stream ends with, after the bytes that came before it. */
async function bodyFailure(body: Readable): Promise<{ received: string; error: Error }> {
  const chunks: string[] = [];
  try {
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array).toString());
  } catch (error) {
    return { received: chunks.join(''), error: error as Error };
  }
  throw new Error(`expected the body to fail, it ended cleanly after ${JSON.stringify(chunks.join(''))}`);
}

function heldRequest(): Promise<void> {
  return new Promise((resolve) => {
    heldRequestArrived = resolve;
  });
}

describe('NodeHttpUpstream', () => {
  it('returns at the response headers, lower-cased, with the body still streaming', async () => {
    const response = await upstream.send(request(`http://127.0.0.1:${port}/v1/chat`));
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-upstream'], 'yes');
    const chunks: string[] = [];
    for await (const chunk of response.body) chunks.push(Buffer.from(chunk as Uint8Array).toString());
    assert.deepEqual(chunks, ['data: one\n\n', 'data: two\n\n']);
  });

  it('joins repeated response headers with ", ", set-cookie included', async () => {
    const response = await upstream.send(request(`http://127.0.0.1:${port}/repeated`));
    await readAll(response.body);
    assert.equal(response.headers['set-cookie'], 'a=1; Path=/, b=2; Path=/');
    assert.equal(response.headers['x-multi'], 'one, two');
    assert.equal(response.headers['content-type'], 'application/json');
  });

  it('sends the method, the headers unchanged and the body with its content-length', async () => {
    const body = Buffer.from('{"model":"gpt-4o","messages":[]}');
    const response = await upstream.send(
      request(`http://127.0.0.1:${port}/echo`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-provider', 'content-type': 'application/json', 'x-custom': 'kept' },
        body,
      }),
    );
    await readAll(response.body);
    const received = seen.at(-1)!;
    assert.equal(received.method, 'POST');
    assert.equal(received.body, body.toString());
    assert.equal(received.headers['content-length'], String(body.length));
    assert.equal(received.headers['transfer-encoding'], undefined);
    assert.equal(received.headers.authorization, 'Bearer sk-provider');
    assert.equal(received.headers['content-type'], 'application/json');
    assert.equal(received.headers['x-custom'], 'kept');
    assert.equal(received.headers.host, `127.0.0.1:${port}`);
  });

  it('sends no body when there is none', async () => {
    const response = await upstream.send(request(`http://127.0.0.1:${port}/echo`, { body: new Uint8Array(0) }));
    await readAll(response.body);
    const received = seen.at(-1)!;
    assert.equal(received.method, 'GET');
    assert.equal(received.body, '');
    assert.equal(received.headers['content-length'], undefined);
    assert.equal(received.headers['transfer-encoding'], undefined);
  });

  it('keeps the connection alive for the next request', async () => {
    const pooled = new NodeHttpUpstream();
    const before = connections;
    await readAll((await pooled.send(request(`http://127.0.0.1:${port}/echo`))).body);
    await new Promise((resolve) => setImmediate(resolve)); // the socket goes back to the pool
    await readAll((await pooled.send(request(`http://127.0.0.1:${port}/echo`))).body);
    assert.equal(connections, before + 1);
  });

  it(`serves ${GATHER_COUNT} concurrent requests at once, none queued behind another`, { timeout: 10_000 }, async () => {
    const answers = await Promise.all(
      Array.from({ length: GATHER_COUNT }, async () => {
        const response = await upstream.send(request(`http://127.0.0.1:${port}/gather`));
        return readAll(response.body);
      }),
    );
    assert.deepEqual(answers, Array(GATHER_COUNT).fill('{}'));
  });

  it('errors the body stream when the upstream hangs up mid-body, with or without a content-length', async () => {
    for (const path of ['/cut-sized', '/cut-chunked']) {
      const response = await upstream.send(request(`http://127.0.0.1:${port}${path}`));
      assert.equal(response.status, 200);
      const { received, error } = await bodyFailure(response.body);
      assert.equal(received, 'data: one\n\n', path);
      assert.equal((error as { code?: string }).code, 'ECONNRESET', path);
    }
  });

  it('errors the body stream, as a timeout, when the upstream goes silent mid-body', async () => {
    const impatient = new NodeHttpUpstream({ bodyIdleTimeoutMs: 200 });
    const arrived = heldRequest();
    const response = await impatient.send(request(`http://127.0.0.1:${port}/hold`));
    await arrived;
    const { received, error } = await bodyFailure(response.body);
    assert.equal(received, 'data: one\n\n');
    assert.match((error as { code?: string }).code ?? '', /TIMEOUT/);
    await heldConnectionClosed;
  });

  it('ends the request when the client goes away before the headers, closing the connection', async () => {
    const abort = new AbortController();
    const arrived = heldRequest();
    const sent = upstream.send(request(`http://127.0.0.1:${port}/slow`, { signal: abort.signal }));
    await arrived;
    abort.abort();
    await assert.rejects(sent, (error: Error) => error.name === 'AbortError' && !(error instanceof LookoutError));
    await heldConnectionClosed;
  });

  it('errors the body stream when the client goes away mid-body, closing the connection', async () => {
    const abort = new AbortController();
    const arrived = heldRequest();
    const response = await upstream.send(request(`http://127.0.0.1:${port}/hold`, { signal: abort.signal }));
    await arrived;
    const failed = bodyFailure(response.body);
    abort.abort();
    const { received, error } = await failed;
    assert.equal(received, 'data: one\n\n');
    assert.equal(error.name, 'AbortError');
    await heldConnectionClosed;
  });

  it('refuses a generic-route target whose name resolves to a private address, never connecting', async () => {
    const before = connections;
    const error = await refusedWith(`http://localhost:${port}/v1/chat`, { refusePrivateAddresses: true });
    assert.equal(error.status, 400);
    assert.equal(error.code, 'target_url_not_allowed');
    assert.match(
      error.message,
      /^Lookout-Target-URL localhost resolves to a private address \((127\.0\.0\.1|::1)\); only configured providers may\.$/,
    );
    assert.equal(connections, before);
  });

  it('refuses private IP literals too, which the socket would dial without a lookup', async () => {
    const before = connections;
    const v4 = await refusedWith(`http://127.0.0.1:${port}/`, { refusePrivateAddresses: true });
    assert.equal(v4.message, 'Lookout-Target-URL 127.0.0.1 resolves to a private address (127.0.0.1); only configured providers may.');
    const v6 = await refusedWith('http://[::ffff:169.254.169.254]/latest/meta-data', { refusePrivateAddresses: true });
    assert.equal(v6.code, 'target_url_not_allowed');
    assert.match(v6.message, /^Lookout-Target-URL \[::ffff:a9fe:a9fe\] resolves to a private address \(::ffff:a9fe:a9fe\)/);
    assert.equal(connections, before);
  });

  it('reaches private addresses when the target is trusted (a configured provider)', async () => {
    const response = await upstream.send(request(`http://localhost:${port}/v1/chat`));
    assert.equal(response.status, 200);
    response.body.resume();
    await once(response.body, 'end');
  });

  it('answers a generic-route host that does not resolve with 502', async () => {
    const error = await refusedWith('http://nothing-here.invalid/v1', { refusePrivateAddresses: true });
    assert.equal(error.status, 502);
    assert.equal(error.code, 'upstream_unreachable');
    assert.equal(error.message, 'Could not resolve upstream host nothing-here.invalid.');
  });

  it('answers an upstream that refuses the connection with 502 naming the cause', async () => {
    const closed = await freePort();
    const error = await refusedWith(`http://127.0.0.1:${closed}/v1`);
    assert.equal(error.status, 502);
    assert.equal(error.code, 'upstream_unreachable');
    assert.match(error.message, new RegExp(`^Could not reach http://127\\.0\\.0\\.1:${closed}: .*ECONNREFUSED`));
  });

  it('answers an upstream that sends no headers in time with 504', async () => {
    const error = await refusedWith(`http://127.0.0.1:${port}/slow`, { headersTimeoutMs: 100 });
    assert.equal(error.status, 504);
    assert.equal(error.code, 'upstream_timeout');
    assert.equal(error.message, `http://127.0.0.1:${port} did not answer within 100 ms.`);
  });
});
