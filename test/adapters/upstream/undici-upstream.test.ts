/**
 * The upstream adapter against loopback servers: it streams, maps failures to Lookout errors, and
 * its connect-time guard keeps generic-route targets off private addresses, names resolved
 * through DNS and IP literals alike, without ever opening a connection to them.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { UndiciUpstream } from '../../../lambdas/adapters/upstream/undici-upstream.js';
import { LookoutError } from '../../../lambdas/core/lookout-error.js';
import type { UpstreamRequest } from '../../../lambdas/core/ports/upstream.js';
import { freePort } from '../../../lambdas/local/free-port.js';

let server: Server;
let port: number;
let connections = 0;

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/slow') {
      // Far later than the timeout: undici's timers tick coarsely (about every half second).
      const late = setTimeout(() => res.end('late'), 10_000);
      res.once('close', () => clearTimeout(late));
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

const upstream = new UndiciUpstream();

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

describe('UndiciUpstream', () => {
  it('returns at the response headers, lower-cased, with the body still streaming', async () => {
    const response = await upstream.send(request(`http://127.0.0.1:${port}/v1/chat`));
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-upstream'], 'yes');
    const chunks: string[] = [];
    for await (const chunk of response.body) chunks.push(Buffer.from(chunk as Uint8Array).toString());
    assert.deepEqual(chunks, ['data: one\n\n', 'data: two\n\n']);
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
