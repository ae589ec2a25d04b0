/**
 * `npm start` as a new user runs it: one process tree that serves /healthz, prints the SDK base
 * URLs, the upstreams and a dev key, honours the environment contract, owns its data dir, keeps
 * the request logs of requests running at Ctrl-C, points at waiting dead letters, and leaves no
 * Java process behind, not even when Node itself is killed.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { DeadLetterSpool } from '../../lambdas/adapters/spool/dead-letter-spool.js';
import { DATA_DIR_LOCK_FILE } from '../../lambdas/local/data-dir-lock.js';
import { freePort } from '../../lambdas/local/free-port.js';
import { MOCK_TEXT, MOCK_TEXT_PIECES, MockProvider } from '../../lambdas/demo/mock-provider.js';
import { logRecord } from '../support/request-log-records.js';

const DEV_KEY = 'lk_dev_key_for_tests';
/** A hung stream or process fails the test instead of hanging the run. */
const STARTS_AND_STOPS = { timeout: 120_000 };

let mock: MockProvider;
let dataDir: string;
let child: ChildProcess;
let output = '';
let port: number;

const url = (path: string) => `http://127.0.0.1:${port}${path}`;
const api = (path: string, key = DEV_KEY) => fetch(url(path), { headers: { 'lookout-auth': `Bearer ${key}` } });
const chat = (body: object) =>
  fetch(url('/openai/v1/chat/completions'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'lookout-auth': `Bearer ${DEV_KEY}` },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }], ...body }),
  });
const deadLetterDir = () => join(dataDir, 'dead-letters');
const spooled = () => {
  try {
    return readdirSync(deadLetterDir()).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
};
const revokeKey = (key: string) =>
  promisify(execFile)('npm', ['run', '--silent', 'keys', '--', 'revoke', '--prefix', key.slice(0, 9)], {
    env: { ...process.env, LOOKOUT_DATA_DIR: dataDir },
  });
const bannerDevKey = () => /Dev key \(app and admin\): (\S+)/.exec(output)?.[1];
const lockHolderPid = () => (JSON.parse(readFileSync(join(dataDir, DATA_DIR_LOCK_FILE), 'utf8')) as { pid: number }).pid;

function processesMatching(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
/** The Node process of an `npm start`: npm's script execs it, so it is npm's only child. */
function nodePidUnder(npm: ChildProcess): number | undefined {
  try {
    return Number(
      execFileSync('pgrep', ['-P', String(npm.pid)], { encoding: 'utf8' })
        .trim()
        .split('\n')[0],
    );
  } catch {
    return undefined;
  }
}
/** DynamoDB Local's JVM and the watchdog shell around it. */
const stackProcesses = () => processesMatching(`${dataDir}/dynamodb`);
const javaProcesses = () => processesMatching(`^java .*${dataDir}/dynamodb`);

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; npm start printed:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs `npm start` as a user would; `ownProcessGroup` makes it the target of a terminal's Ctrl-C.
 * With `devKey` null (no LOOKOUT_DEV_KEY) the stack uses the key it generated under the data dir.
 */
async function npmStart(ownProcessGroup: boolean, devKey: string | null = DEV_KEY): Promise<ChildProcess> {
  // A test that failed midway may have left its stack running; stop it so it cannot fail the next.
  if (child && child.exitCode === null && child.signalCode === null) await killStack(child);
  output = '';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    LOOKOUT_DATA_DIR: dataDir,
    LOOKOUT_OPENAI_BASE_URL: mock.url,
    LOOKOUT_ANTHROPIC_BASE_URL: mock.url,
  };
  if (devKey) env.LOOKOUT_DEV_KEY = devKey;
  else delete env.LOOKOUT_DEV_KEY;
  const started = spawn('npm', ['start'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownProcessGroup,
  });
  started.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  started.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await waitFor(
    async () => {
      if (started.exitCode !== null) throw new Error(`npm start exited (${started.exitCode}):\n${output}`);
      return fetch(url('/healthz')).then(
        (r) => r.status === 200,
        () => false,
      );
    },
    'npm start to become healthy',
    90_000,
  );
  // The banner is written right after the server listens; /healthz can answer a moment before it arrives.
  await waitFor(() => output.includes('Send it as the header'), 'the start banner');
  return started;
}

async function expectStoppedWithoutJava(stopped: ChildProcess): Promise<void> {
  if (stopped.exitCode === null && stopped.signalCode === null) await once(stopped, 'exit');
  await waitFor(() => stackProcesses().length === 0, 'DynamoDB Local and its watchdog to exit');
  const refused = await fetch(url('/healthz')).then(
    () => false,
    () => true,
  );
  assert.ok(refused, 'the port is closed');
}

before(async () => {
  mock = await MockProvider.start();
  dataDir = mkdtempSync(join(tmpdir(), 'lookout-start-'));
  port = await freePort();
  child = await npmStart(false);
}, STARTS_AND_STOPS);

/** Kills an `npm start` outright and waits for it, its Node and DynamoDB Local to be gone. */
async function killStack(npm: ChildProcess): Promise<void> {
  // Killing npm alone would leave Node running; Node's death is what stops the JVM.
  const node = nodePidUnder(npm);
  try {
    if (node) process.kill(node, 'SIGKILL');
  } catch {
    /* it exited meanwhile */
  }
  const exited = npm.exitCode === null && npm.signalCode === null ? once(npm, 'exit') : Promise.resolve();
  npm.kill('SIGKILL');
  await exited;
  await waitFor(() => stackProcesses().length === 0, 'DynamoDB Local of the killed stack to exit');
}

after(async () => {
  if (child && child.exitCode === null && child.signalCode === null) await killStack(child);
  try {
    await waitFor(() => stackProcesses().length === 0, 'no DynamoDB Local left after the tests');
  } finally {
    await mock.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('prints the URL, the SDK base URLs, the upstream of each provider and the dev key', () => {
  assert.ok(output.includes(`http://127.0.0.1:${port}/openai/v1`));
  assert.ok(output.includes(`http://127.0.0.1:${port}/anthropic`));
  assert.match(output, new RegExp(`openai +-> ${mock.url}\n`), 'the LOOKOUT_OPENAI_BASE_URL override is what is shown');
  assert.match(output, new RegExp(`anthropic +-> ${mock.url}\n`));
  assert.ok(output.includes(DEV_KEY));
});

test('the README snippet works with the dev key against LOOKOUT_OPENAI_BASE_URL', async () => {
  const openai = new OpenAI({
    apiKey: 'sk-test',
    baseURL: `http://127.0.0.1:${port}/openai/v1`,
    defaultHeaders: { 'Lookout-Auth': `Bearer ${DEV_KEY}` },
  });
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
  assert.equal(completion.choices[0]!.message.content, MOCK_TEXT);
});

test('the dev key is also an admin key (the query API accepts it)', async () => {
  const response = await api('/v1/requests');
  assert.equal(response.status, 200);
});

test('a second npm start on the same data dir says where the first runs, and starts no Java', STARTS_AND_STOPS, async () => {
  const second = spawn('npm', ['start'], {
    env: { ...process.env, PORT: String(await freePort()), LOOKOUT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let secondOutput = '';
  second.stdout!.on('data', (d: Buffer) => (secondOutput += d.toString()));
  second.stderr!.on('data', (d: Buffer) => (secondOutput += d.toString()));
  const [code] = (await once(second, 'exit')) as [number | null];
  assert.equal(code, 1);
  assert.match(secondOutput, new RegExp(`^another Lookout is running on this data dir at http://127\\.0\\.0\\.1:${port} `, 'm'));
  assert.doesNotMatch(secondOutput, /^\s+at /m, 'no stack trace');
  assert.equal(javaProcesses().length, 1, "only the first stack's DynamoDB Local runs");
  assert.equal((await fetch(url('/healthz'))).status, 200, 'the first stack is untouched');
});

let firstRunRequestId: string;

test('SIGTERM stops everything, with no orphaned Java process, and frees the data dir', STARTS_AND_STOPS, async () => {
  const response = await chat({ messages: [{ role: 'user', content: 'remember me' }] });
  assert.equal(response.status, 200);
  await response.text();
  firstRunRequestId = response.headers.get('lookout-id')!;
  // Revoked the way a user would; the next start must not print a key it then refuses.
  await revokeKey(DEV_KEY);
  const java = javaProcesses();
  assert.ok(java.length > 0, 'DynamoDB Local runs while the stack is up');
  // Field 19 of /proc/<pid>/stat, counted after the parenthesised command name, is the nice value.
  const niceness = Number(readFileSync(`/proc/${java[0]}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
  assert.equal(niceness, 19, 'DynamoDB Local runs at the lowest CPU priority, off the cores the gateway needs');
  child.kill('SIGTERM');
  await expectStoppedWithoutJava(child);
  assert.deepEqual(
    readdirSync(dataDir).filter((n) => n.startsWith(DATA_DIR_LOCK_FILE)),
    [],
    'the lock is released',
  );
});

test('a restart keeps what LOOKOUT_DATA_DIR holds, and re-activates the revoked LOOKOUT_DEV_KEY', STARTS_AND_STOPS, async () => {
  child = await npmStart(true);
  await waitFor(() => /The dev key \(LOOKOUT_DEV_KEY\) had been revoked; re-activated it\./.test(output), 'the re-activation notice');
  const logged = await api(`/v1/requests/${firstRunRequestId}`);
  assert.equal(logged.status, 200, "the first run's request log survived the restart, and the dev key works again");
});

let finishedId: string;
let streamingId: string;

test('Ctrl-C keeps the request logs of a request just finished and of one still streaming', STARTS_AND_STOPS, async () => {
  const finished = await chat({ messages: [{ role: 'user', content: 'finished before Ctrl-C' }] });
  assert.equal(finished.status, 200);
  await finished.text();
  finishedId = finished.headers.get('lookout-id')!;

  const gate = mock.holdLastEvent();
  const streaming = await chat({ stream: true, messages: [{ role: 'user', content: 'streaming at Ctrl-C' }] });
  assert.equal(streaming.status, 200);
  streamingId = streaming.headers.get('lookout-id')!;
  const reader = streaming.body!.getReader();
  let text = '';
  const readSome = async () => {
    const { done, value } = await reader.read();
    if (!done) text += Buffer.from(value).toString();
    return done;
  };
  await waitFor(async () => (await readSome()) || text.includes(MOCK_TEXT_PIECES[0]!), 'the first streamed bytes');

  // A terminal's Ctrl-C sends SIGINT to the whole foreground process group: npm and Node (Java is not in it).
  process.kill(-child.pid!, 'SIGINT');
  await waitFor(() => output.includes('SIGINT: stopping Lookout'), 'the stop to begin');
  assert.equal(javaProcesses().length, 1, 'DynamoDB Local outlives the Ctrl-C while a request runs');
  gate.release();
  while (!(await readSome()));
  assert.ok(text.includes('data: [DONE]'), 'the client got the whole stream');

  await expectStoppedWithoutJava(child);
  assert.deepEqual(spooled(), [], 'nothing was dead-lettered');
  assert.doesNotMatch(output, /dead-lettered/);
});

test('after the restart both of those requests are in the request log', STARTS_AND_STOPS, async () => {
  child = await npmStart(false);
  const finished = await api(`/v1/requests/${finishedId}`);
  assert.equal(finished.status, 200);
  assert.equal(((await finished.json()) as { outcome: string }).outcome, 'completed');
  const streamed = await api(`/v1/requests/${streamingId}`);
  assert.equal(streamed.status, 200);
  const record = (await streamed.json()) as { outcome: string; stream: boolean; responseBody: string };
  assert.equal(record.outcome, 'completed');
  assert.equal(record.stream, true);
  assert.ok(record.responseBody.includes('data: [DONE]'), 'the whole stream was logged');
});

test('when Node is killed outright, DynamoDB Local goes with it', STARTS_AND_STOPS, async () => {
  assert.equal(javaProcesses().length, 1);
  const node = nodePidUnder(child);
  assert.equal(node, lockHolderPid(), 'the data dir lock names the running Node');
  process.kill(node!, 'SIGKILL');
  await expectStoppedWithoutJava(child);
});

test('dead letters are announced at start and at stop with the command that replays them', STARTS_AND_STOPS, async () => {
  const spool = new DeadLetterSpool(deadLetterDir());
  const seeded = logRecord({ id: randomUUID(), createdAtMs: Date.now() });
  await spool.send({ record: seeded, reason: 'seeded by the test', failedAtMs: Date.now() });

  // The previous Node was killed holding the data dir's lock; this start takes it over.
  child = await npmStart(false);
  const command = `LOOKOUT_DATA_DIR=${dataDir} npm run logs:replay`;
  await waitFor(
    () => output.includes(`1 request log is waiting in the dead-letter spool (${deadLetterDir()}); store it with \`${command}\`.`),
    'the dead-letter notice at start',
  );

  const replay = await promisify(execFile)('sh', ['-c', command]);
  assert.match(replay.stdout, /1 stored/);
  assert.deepEqual(spooled(), []);
  assert.equal((await api(`/v1/requests/${seeded.id}`)).status, 200, 'the printed command stored the letter');

  await spool.send({
    record: logRecord({ id: randomUUID(), createdAtMs: Date.now() }),
    reason: 'seeded by the test',
    failedAtMs: Date.now(),
  });
  await spool.send({
    record: logRecord({ id: randomUUID(), createdAtMs: Date.now() + 1 }),
    reason: 'seeded by the test',
    failedAtMs: Date.now(),
  });
  child.kill('SIGTERM');
  await expectStoppedWithoutJava(child);
  // The process can exit before the last of its output has been read from the pipe.
  await waitFor(
    () =>
      output.includes(
        `2 request logs are waiting in the dead-letter spool (${deadLetterDir()}); store them with \`${command}\` once Lookout runs again.`,
      ),
    'the dead-letter notice at stop',
  );
});

test('a generated dev key that was revoked stays revoked, and a new one is generated and printed', STARTS_AND_STOPS, async () => {
  child = await npmStart(false, null);
  const generated = bannerDevKey()!;
  assert.equal(readFileSync(join(dataDir, 'dev-key'), 'utf8').trim(), generated, 'the generated key is kept under the data dir');
  await revokeKey(generated);
  child.kill('SIGTERM');
  await expectStoppedWithoutJava(child);

  child = await npmStart(false, null);
  await waitFor(
    () => output.includes(`The dev key in ${join(dataDir, 'dev-key')} had been revoked; generated a new one.`),
    'the new dev key notice',
  );
  const replacement = bannerDevKey()!;
  assert.notEqual(replacement, generated);
  assert.equal(readFileSync(join(dataDir, 'dev-key'), 'utf8').trim(), replacement);
  assert.equal((await api('/v1/requests', replacement)).status, 200, 'the printed key works');
  assert.equal((await api('/v1/requests', generated)).status, 401, 'the revoked key stays revoked');
  child.kill('SIGTERM');
  await expectStoppedWithoutJava(child);
});
