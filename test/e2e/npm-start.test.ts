/**
 * `npm start` as a new user runs it: one process tree that serves /healthz, prints the SDK base
 * URLs and a dev key, honours the environment contract, and leaves no Java process behind.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { freePort } from '../../lambdas/local/free-port.js';
import { MOCK_TEXT, MockProvider } from '../support/mock-provider.js';

let mock: MockProvider;
let dataDir: string;
let child: ChildProcess;
let output = '';
let port: number;

function javaProcessesFor(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', `${dir}/dynamodb`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** Runs `npm start` as a user would; `ownProcessGroup` makes it the target of a terminal's Ctrl-C. */
async function npmStart(ownProcessGroup: boolean): Promise<ChildProcess> {
  output = '';
  const started = spawn('npm', ['start'], {
    env: { ...process.env, PORT: String(port), LOOKOUT_DATA_DIR: dataDir, LOOKOUT_DEV_KEY: 'lk_dev_key_for_tests', LOOKOUT_OPENAI_BASE_URL: mock.url, LOOKOUT_ANTHROPIC_BASE_URL: mock.url },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownProcessGroup,
  });
  started.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  started.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
    if (healthy) return started;
    if (started.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`npm start did not become healthy:\n${output}`);
}

async function expectStoppedWithoutJava(stopped: ChildProcess): Promise<void> {
  if (stopped.exitCode === null) await once(stopped, 'exit');
  // npm passes the signal on and the stack then stops Java; give that a bounded moment.
  const deadline = Date.now() + 15_000;
  while (javaProcessesFor(dataDir).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(javaProcessesFor(dataDir), []);
  const refused = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => false, () => true);
  assert.ok(refused, 'the port is closed');
}

before(async () => {
  mock = await MockProvider.start();
  dataDir = mkdtempSync(join(tmpdir(), 'lookout-start-'));
  port = await freePort();
  child = await npmStart(false);
});

after(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await mock.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('prints the URL, the SDK base URLs and the dev key', () => {
  assert.ok(output.includes(`http://127.0.0.1:${port}/openai/v1`));
  assert.ok(output.includes(`http://127.0.0.1:${port}/anthropic`));
  assert.ok(output.includes('lk_dev_key_for_tests'));
});

test('the README snippet works with the dev key against LOOKOUT_OPENAI_BASE_URL', async () => {
  const openai = new OpenAI({ apiKey: 'sk-test', baseURL: `http://127.0.0.1:${port}/openai/v1`, defaultHeaders: { 'Lookout-Auth': 'Bearer lk_dev_key_for_tests' } });
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
  assert.equal(completion.choices[0]!.message.content, MOCK_TEXT);
});

test('the dev key is also an admin key (the query API accepts it)', async () => {
  const response = await fetch(`http://127.0.0.1:${port}/v1/requests`, { headers: { 'lookout-auth': 'Bearer lk_dev_key_for_tests' } });
  assert.equal(response.status, 200);
});

let firstRunRequestId: string;

test('SIGTERM stops everything, with no orphaned Java process', async () => {
  const response = await fetch(`http://127.0.0.1:${port}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'lookout-auth': 'Bearer lk_dev_key_for_tests' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'remember me' }] }),
  });
  assert.equal(response.status, 200);
  firstRunRequestId = response.headers.get('lookout-id')!;
  assert.ok(javaProcessesFor(dataDir).length > 0, 'DynamoDB Local runs while the stack is up');
  child.kill('SIGTERM');
  await expectStoppedWithoutJava(child);
});

test('a restart keeps what LOOKOUT_DATA_DIR holds, and Ctrl-C stops everything', async () => {
  child = await npmStart(true);
  const logged = await fetch(`http://127.0.0.1:${port}/v1/requests/${firstRunRequestId}`, { headers: { 'lookout-auth': 'Bearer lk_dev_key_for_tests' } });
  assert.equal(logged.status, 200, 'the first run\'s request log survived the restart');
  // A terminal's Ctrl-C sends SIGINT to the whole foreground process group: npm, node and Java.
  process.kill(-child.pid!, 'SIGINT');
  await expectStoppedWithoutJava(child);
});
