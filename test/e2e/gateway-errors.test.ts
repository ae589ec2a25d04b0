/**
 * What a client sees when something is wrong: Lookout's own errors are JSON with a code and a
 * message, and upstream errors pass through unchanged. Runs the local stack against a loopback
 * mock provider; a "sentinel" server proves refused targets are never contacted.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../../lambdas/local/free-port.js';
import { sendJson } from '../../lambdas/demo/mock-provider.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';

let fx: StackFixture;
let appKey: string;
let sentinel: Server;
let sentinelConnections = 0;
let sentinelPort: number;

before(async () => {
  sentinel = createServer((_req, res) => res.end('sentinel'));
  sentinel.on('connection', () => sentinelConnections++);
  sentinel.listen(0, '127.0.0.1');
  await once(sentinel, 'listening');
  sentinelPort = (sentinel.address() as { port: number }).port;
  fx = await startStackFixture({
    upstreamTimeoutMs: 1_000,
    providers: { unreachable: { baseUrl: `http://127.0.0.1:${await freePort()}` } },
    targetUrlAllowlist: [`http://127.0.0.1:${sentinelPort}`, `http://localhost:${sentinelPort}`, 'https://api.example.com'],
  });
  appKey = await fx.createKey('app');
});
after(async () => {
  await fx.close();
  sentinel.close();
});

const chatBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

function post(path: string, headers: Record<string, string> = {}, body: string | Buffer = chatBody): Promise<Response> {
  return fetch(`${fx.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-provider', 'lookout-auth': `Bearer ${appKey}`, ...headers },
    body,
  });
}

async function expectLookoutError(response: Response, status: number, code: string, mentions?: string): Promise<void> {
  assert.equal(response.status, status);
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  assert.match(response.headers.get('lookout-id') ?? '', /^[0-9a-f-]{36}$/, 'every answer carries Lookout-Id');
  assert.equal(response.headers.get('helicone-id'), response.headers.get('lookout-id'));
  const body = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  if (mentions) assert.ok(body.error.message.includes(mentions), `"${body.error.message}" names ${mentions}`);
}

const runKeysCli = (args: string[]) =>
  promisify(execFile)('node_modules/.bin/tsx', ['lambdas/cli/keys-cli.ts', ...args], {
    env: { ...process.env, LOOKOUT_DATA_DIR: fx.dataDir },
  });

describe('gateway keys', () => {
  test('a request without a key gets 401', async () => {
    await expectLookoutError(await post('/openai/v1/chat/completions', { 'lookout-auth': '' }), 401, 'missing_api_key');
  });

  test('a wrong key gets 401 and the provider is never called', async () => {
    const before = fx.mock.requests.length;
    await expectLookoutError(
      await post('/openai/v1/chat/completions', { 'lookout-auth': 'Bearer lk_not-a-real-key' }),
      401,
      'invalid_api_key',
    );
    assert.equal(fx.mock.requests.length, before);
  });

  test('a malformed Lookout-Auth gets 400 naming it', async () => {
    await expectLookoutError(
      await post('/openai/v1/chat/completions', { 'lookout-auth': 'Token abc' }),
      400,
      'invalid_header',
      'Lookout-Auth',
    );
  });

  test('a key made with `npm run keys -- create` works, also as Helicone-Auth, until it is revoked', async () => {
    const { stdout } = await runKeysCli(['create', '--name', 'ci-app']);
    const key = stdout.trim().split('\n').at(-1)!;
    assert.match(key, /^lk_/);
    assert.equal((await post('/openai/v1/chat/completions', { 'lookout-auth': `Bearer ${key}` })).status, 200);
    assert.equal((await post('/openai/v1/chat/completions', { 'lookout-auth': '', 'helicone-auth': `Bearer ${key}` })).status, 200);

    const created = await runKeysCli(['create', '--name', 'to-revoke']);
    const doomed = created.stdout.trim().split('\n').at(-1)!;
    await runKeysCli(['revoke', '--prefix', doomed.slice(0, 9)]);
    await expectLookoutError(await post('/openai/v1/chat/completions', { 'lookout-auth': `Bearer ${doomed}` }), 401, 'invalid_api_key');
    const { stdout: listing } = await runKeysCli(['list']);
    assert.match(listing, /revoked .* to-revoke/);
    assert.ok(!listing.includes(doomed), 'a listing never shows a key');
  });

  test('keys are stored only as SHA-256 hashes', async () => {
    const stored = JSON.stringify(await fx.keys.list());
    assert.ok(!stored.includes(appKey));
  });
});

describe('bad input', () => {
  test('an unknown route gets 404', async () => {
    await expectLookoutError(await post('/nope/v1/chat/completions'), 404, 'not_found');
    await expectLookoutError(await post('/openai/v2/chat'), 404, 'not_found');
  });

  test('malformed monitoring headers get 400 naming the header', async () => {
    await expectLookoutError(
      await post('/openai/v1/chat/completions', { 'lookout-session-path': 'no-leading-slash' }),
      400,
      'invalid_header',
      'Lookout-Session-Path',
    );
    await expectLookoutError(
      await post('/openai/v1/chat/completions', { 'helicone-request-id': 'not-a-uuid' }),
      400,
      'invalid_header',
      'Helicone-Request-Id',
    );
    await expectLookoutError(
      await post('/openai/v1/chat/completions', { 'lookout-omit-response': 'maybe' }),
      400,
      'invalid_header',
      'Lookout-Omit-Response',
    );
  });

  test('a body that is not JSON gets 400 invalid_json', async () => {
    await expectLookoutError(await post('/openai/v1/chat/completions', {}, '{"model": '), 400, 'invalid_json');
  });

  test('a body over 10 MB gets 413', async () => {
    const big = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(10 * 1024 * 1024) }] });
    await expectLookoutError(await post('/openai/v1/chat/completions', {}, big), 413, 'payload_too_large');
  });

  test('Lookout-Request-Id becomes the request id', async () => {
    const id = '3f1c9a52-8a44-4c5e-9d55-0f1b2b7f4a10';
    const response = await post('/openai/v1/chat/completions', { 'lookout-request-id': id.toUpperCase() });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('lookout-id'), id);
  });
});

describe('the generic route', () => {
  test('forwards to an allowlisted target, here a configured provider', async () => {
    const response = await post('/gateway/v1/chat/completions', { 'lookout-target-url': fx.mock.url });
    assert.equal(response.status, 200);
    assert.equal(fx.mock.lastRequest.path, '/v1/chat/completions');
  });

  test('needs Lookout-Target-URL', async () => {
    await expectLookoutError(await post('/gateway/v1/chat/completions'), 400, 'missing_header', 'Lookout-Target-URL');
  });

  test('refuses a target off the allowlist', async () => {
    await expectLookoutError(
      await post('/gateway/v1/chat/completions', { 'lookout-target-url': 'https://evil.example.net' }),
      400,
      'target_url_not_allowed',
      'Lookout-Target-URL',
    );
  });

  test('refuses private, loopback and link-local targets, even allowlisted, without contacting them', async () => {
    const before = sentinelConnections;
    for (const target of [`http://127.0.0.1:${sentinelPort}`, `http://localhost:${sentinelPort}`]) {
      await expectLookoutError(
        await post('/gateway/v1/chat/completions', { 'lookout-target-url': target }),
        400,
        'target_url_not_allowed',
        'private address',
      );
    }
    await expectLookoutError(
      await post('/gateway/v1/chat/completions', { 'helicone-target-url': 'http://169.254.169.254' }),
      400,
      'target_url_not_allowed',
    );
    assert.equal(sentinelConnections, before, 'the private address was never contacted');
  });
});

describe('upstream failures', () => {
  test('an unreachable upstream gets 502', async () => {
    await expectLookoutError(await post('/unreachable/v1/chat/completions'), 502, 'upstream_unreachable');
  });

  test('an upstream that does not answer in time gets 504', async () => {
    fx.mock.scriptNext(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 2_500));
      if (!res.destroyed) sendJson(res, 200, {});
    });
    await expectLookoutError(await post('/openai/v1/chat/completions'), 504, 'upstream_timeout');
  });

  for (const [status, headers, body] of [
    [500, { 'x-request-id': 'req_500' }, '{"error":{"message":"The server had an error","type":"server_error"}}'],
    [
      429,
      { 'retry-after': '7', 'x-ratelimit-remaining-requests': '0' },
      '{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}',
    ],
  ] as const) {
    test(`an upstream ${status} passes through unchanged`, async () => {
      fx.mock.scriptNext((_req, res) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body);
      });
      const response = await post('/openai/v1/chat/completions');
      assert.equal(response.status, status);
      for (const [name, value] of Object.entries(headers)) assert.equal(response.headers.get(name), value);
      assert.equal(await response.text(), body);
      assert.ok(response.headers.get('lookout-id'));
    });
  }
});
