/**
 * `npm run keys` against a real local stack, run as a user runs it: its help, the create → list →
 * revoke round trip (the revoked key is refused within keyCacheTtlMs, as the output promises), and
 * what it says when no stack is running.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCliTool } from '../support/cli-process.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';

const KEY_CACHE_TTL_MS = 1_500;

let fx: StackFixture;
before(async () => {
  fx = await startStackFixture({ keyCacheTtlMs: KEY_CACHE_TTL_MS });
});
after(() => fx.close());

const keys = (args: string[], dataDir = fx.dataDir) => runCliTool('lambdas/cli/keys-cli.ts', args, dataDir);

function chat(key: string): Promise<Response> {
  return fetch(`${fx.url}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test', 'lookout-auth': `Bearer ${key}` },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

test('--help prints the usage, naming the data dir it acts on, and exits 0', async () => {
  const { code, stdout } = await keys(['--help']);
  assert.equal(code, 0);
  assert.match(stdout, /^Usage:\n {2}npm run keys -- create --name NAME/);
  assert.match(stdout, /npm run keys -- revoke --prefix KEY_PREFIX/);
  assert.ok(stdout.includes(`the local stack that \`npm start\` runs under ${fx.dataDir}\n(LOOKOUT_DATA_DIR`), stdout);
  assert.match(stdout, /--table <KeysTableName output>/);
});

test('an unknown flag or command is named, followed by the usage', async () => {
  const flag = await keys(['list', '--tabel', 'x']);
  assert.equal(flag.code, 1);
  assert.match(flag.stderr, /^Unknown option '--tabel'\.\n\nUsage:\n/);
  const command = await keys(['remove']);
  assert.equal(command.code, 1);
  assert.match(command.stderr, /^Unknown command "remove"\.\n\nUsage:\n/);
});

test('create, list and revoke a key on the running stack; the revoked key is refused within keyCacheTtlMs', async () => {
  const created = await keys(['create', '--name', 'e2e-app']);
  assert.equal(created.code, 0, created.stderr);
  const [, prefix, key] =
    /^Created app key "e2e-app" \((lk_[\w-]{6})…\)\. It is shown only this once:\n(lk_[\w-]+)\n$/.exec(created.stdout) ?? [];
  assert.ok(prefix && key, `create prints the key: ${created.stdout}`);
  assert.equal((await chat(key)).status, 200, 'the new key works at once');

  const listed = await keys(['list']);
  assert.match(listed.stdout, new RegExp(`^${prefix}…  app  +\\S+  active  e2e-app$`, 'm'));

  const revoked = await keys(['revoke', '--prefix', prefix]);
  const revokedAt = Date.now();
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.equal(
    revoked.stdout,
    `Revoked "e2e-app" (${prefix}…). It stops working within 1.5 s (keyCacheTtlMs), as running gateways cache verified keys.\n`,
  );

  // The gateway verified the key above, so it may keep answering until its cache entry expires.
  let status = 0;
  while (Date.now() - revokedAt < KEY_CACHE_TTL_MS + 3_000) {
    const response = await chat(key);
    status = response.status;
    if (status === 401) {
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
      break;
    }
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(status, 401, 'the revoked key is refused once keyCacheTtlMs has passed');
  assert.match((await keys(['list'])).stdout, new RegExp(`^${prefix}…  app  +\\S+  revoked \\S+  e2e-app$`, 'm'));
});

test('with no stack ever started under the data dir, it says how to start one', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'lookout-no-stack-'));
  t.after(() => rmSync(empty, { recursive: true, force: true }));
  const { code, stderr } = await keys(['list'], empty);
  assert.equal(code, 1);
  assert.equal(stderr, `No local stack is running under ${empty} (start it with \`npm start\`, or pass --table for a deployment).\n`);
});

// Last: it stops the shared stack (after() stopping it again is harmless).
test('after the stack has stopped, it says no stack is running instead of ECONNREFUSED', async () => {
  await fx.stack.stop();
  const { code, stderr } = await keys(['list']);
  assert.equal(code, 1);
  assert.equal(stderr, `No local stack is running under ${fx.dataDir} (start it with \`npm start\`, or pass --table for a deployment).\n`);
});
