/**
 * The data-dir lock that keeps two stacks off one DynamoDB file: a second taker is told where the
 * first runs, and a lock left by a process that died is taken over.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { DATA_DIR_LOCK_FILE, lockDataDir } from '../../lambdas/local/data-dir-lock.js';

let dataDir: string;
const lockFile = () => join(dataDir, DATA_DIR_LOCK_FILE);
const writeLock = (holder: object) => writeFileSync(lockFile(), JSON.stringify(holder));

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'lookout-lock-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

test('a second taker is told the URL of the stack that holds the data dir', () => {
  const lock = lockDataDir(dataDir, 'http://127.0.0.1:8787');
  assert.throws(() => lockDataDir(dataDir, 'http://127.0.0.1:9999'), {
    message: /^another Lookout is running on this data dir at http:\/\/127\.0\.0\.1:8787 /,
  });
  lock.release();
});

test('the URL recorded once the stack listens is the one a second taker hears', () => {
  const lock = lockDataDir(dataDir, null);
  assert.throws(() => lockDataDir(dataDir, null), { message: /^another Lookout is starting on this data dir/ });
  lock.setUrl('http://127.0.0.1:40123');
  assert.throws(() => lockDataDir(dataDir, null), { message: /at http:\/\/127\.0\.0\.1:40123/ });
  lock.release();
});

test('release frees the data dir for the next stack', () => {
  lockDataDir(dataDir, 'http://127.0.0.1:8787').release();
  assert.equal(existsSync(lockFile()), false);
  lockDataDir(dataDir, 'http://127.0.0.1:8788').release();
});

test('a lock another live process holds is respected', () => {
  writeLock({ pid: process.ppid, url: 'http://127.0.0.1:8787', token: 'theirs' });
  assert.throws(() => lockDataDir(dataDir, null), {
    message: new RegExp(`pid ${process.ppid}; if it is not running, delete ${lockFile()}`),
  });
  assert.equal(JSON.parse(readFileSync(lockFile(), 'utf8')).token, 'theirs', 'their lock is left alone');
});

test('a lock left by a process that died is taken over', async () => {
  writeLock({ pid: await deadPid(), url: 'http://127.0.0.1:8787', token: 'dead' });
  const lock = lockDataDir(dataDir, 'http://127.0.0.1:8788');
  assert.equal(JSON.parse(readFileSync(lockFile(), 'utf8')).pid, process.pid);
  lock.release();
});

test('a lock naming this process that this process does not hold is stale (a restarted container reuses pids)', () => {
  writeLock({ pid: process.pid, url: 'http://127.0.0.1:8787', token: 'previous-life' });
  lockDataDir(dataDir, null).release();
});

test('an unreadable lock file is taken over', () => {
  writeFileSync(lockFile(), '');
  lockDataDir(dataDir, null).release();
});

test("release leaves alone a lock that is no longer this holder's", () => {
  const lock = lockDataDir(dataDir, null);
  writeLock({ pid: process.ppid, url: 'http://127.0.0.1:8787', token: 'theirs' });
  lock.release();
  assert.equal(JSON.parse(readFileSync(lockFile(), 'utf8')).token, 'theirs');
});
