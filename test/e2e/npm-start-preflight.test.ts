/**
 * What `npm start` says when it cannot start: no Java or too old a Java, a busy PORT, or a bad base URL. Each is one
 * line and exit code 1, printed before anything starts (no DynamoDB Local, no data written).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../../lambdas/local/free-port.js';

const NPM_CLI = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());

let scratch: string;

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'lookout-preflight-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A PATH holding only node (the one running this test) and sh (npm runs scripts with it), plus `extra`. */
function pathWithoutJava(name: string, extra: Record<string, string> = {}): string {
  const bin = join(scratch, name, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync('/bin/sh', join(bin, 'sh'));
  for (const [file, script] of Object.entries(extra)) {
    writeFileSync(join(bin, file), script);
    chmodSync(join(bin, file), 0o755);
  }
  return bin;
}

interface StartResult {
  code: number | null;
  /** What Lookout printed: npm's own `> lookout@… start` header and blank lines left out. */
  lines: string[];
  dataDir: string;
}

async function npmStart(name: string, env: Record<string, string>): Promise<StartResult> {
  const dataDir = join(scratch, name, 'data');
  const started = spawn(process.execPath, [NPM_CLI, 'start'], {
    env: { ...process.env, LOOKOUT_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  started.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  started.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => started.kill('SIGKILL'), 60_000);
  const [code] = (await once(started, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, lines: output.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('> ')), dataDir };
}

function assertNothingStarted(result: StartResult): void {
  assert.equal(existsSync(join(result.dataDir, 'dynamodb')), false, 'DynamoDB Local was not started');
  assert.equal(existsSync(join(result.dataDir, 's3')), false, 'the S3 server was not started');
  assert.equal(existsSync(join(result.dataDir, 'lookout.lock')), false, 'the data dir lock was released');
}

test('with no java on PATH it says Java 17 is needed, in one line, and exits 1', async () => {
  const result = await npmStart('no-java', { PATH: pathWithoutJava('no-java'), PORT: String(await freePort()) });
  assert.equal(result.code, 1);
  assert.deepEqual(result.lines, ['Java 17 or later is needed for DynamoDB Local; java was not found on PATH']);
  assertNothingStarted(result);
});

test('with a Java older than 17 it names the version found', async () => {
  const oldJava =
    "#!/bin/sh\necho 'openjdk version \"11.0.22\" 2024-01-16' >&2\necho 'OpenJDK Runtime Environment (build 11.0.22+7)' >&2\n";
  const result = await npmStart('old-java', { PATH: pathWithoutJava('old-java', { java: oldJava }), PORT: String(await freePort()) });
  assert.equal(result.code, 1);
  assert.deepEqual(result.lines, [
    'Java 17 or later is needed for DynamoDB Local; java on PATH is version 11 (openjdk version "11.0.22" 2024-01-16)',
  ]);
  assertNothingStarted(result);
});

test('with PORT taken it names the port, in one line, before starting Java', async () => {
  const busy: Server = createServer();
  busy.listen(0, '127.0.0.1');
  await once(busy, 'listening');
  const { port } = busy.address() as { port: number };
  try {
    const result = await npmStart('busy-port', { PORT: String(port) });
    assert.equal(result.code, 1);
    assert.deepEqual(result.lines, [`port ${port} is already in use; set PORT to another port`]);
    assertNothingStarted(result);
  } finally {
    busy.close();
  }
});

test('with a malformed LOOKOUT_OPENAI_BASE_URL it names the variable, in one line, before starting Java', async () => {
  const result = await npmStart('bad-base-url', { PORT: String(await freePort()), LOOKOUT_OPENAI_BASE_URL: 'localhost:1234' });
  assert.equal(result.code, 1);
  assert.equal(result.lines.length, 1, result.lines.join('\n'));
  assert.match(result.lines[0]!, /^LOOKOUT_OPENAI_BASE_URL must be an http\(s\) URL .*got "localhost:1234"$/);
  assertNothingStarted(result);
});
