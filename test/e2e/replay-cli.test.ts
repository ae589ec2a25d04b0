/**
 * `npm run logs:replay` run as a user runs it: its help, replaying the running local stack's spool
 * (found through LOOKOUT_DATA_DIR alone), and what it says when no stack is running. That every
 * letter is stored exactly once, however often it runs, is test/e2e/no-loss.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DeadLetterSpool } from '../../lambdas/adapters/spool/dead-letter-spool.js';
import { runCliTool } from '../support/cli-process.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';
import { logRecord } from '../support/request-log-records.js';

const DEPLOYMENT_FLAGS = '--queue-url, --table and --bucket';

let fx: StackFixture;
before(async () => {
  fx = await startStackFixture();
});
after(() => fx.close());

const replay = (args: string[], dataDir = fx.dataDir) => runCliTool('lambdas/cli/replay-dead-letters.ts', args, dataDir);

test('--help prints the usage, naming the data dir it acts on, and exits 0', async () => {
  const { code, stdout } = await replay(['--help']);
  assert.equal(code, 0);
  assert.match(stdout, /^Usage:\n {2}npm run logs:replay {2,}replay the spool of the local stack that `npm start` runs\n/);
  assert.ok(stdout.includes(`under ${fx.dataDir} (LOOKOUT_DATA_DIR`), stdout);
  assert.match(stdout, /npm run logs:replay -- --queue-url URL --table REQUEST_LOG_TABLE --bucket BODIES_BUCKET/);
});

test('an unknown flag, or deployment flags without the queue, are named with the usage', async () => {
  const flag = await replay(['--queue', 'x']);
  assert.equal(flag.code, 1);
  assert.match(flag.stderr, /^Unknown option '--queue'\.\n\nUsage:\n/);
  const partial = await replay(['--table', 'lookout-request-log']);
  assert.equal(partial.code, 1);
  assert.ok(partial.stderr.startsWith(`${DEPLOYMENT_FLAGS} go together; --queue-url is missing.\n\nUsage:\n`), partial.stderr);
});

test("replays the running stack's spool into its request log", async () => {
  const adminKey = await fx.createKey('admin');
  const id = randomUUID();
  await new DeadLetterSpool(join(fx.dataDir, 'dead-letters')).send({
    record: logRecord({ id, createdAtMs: Date.now() }),
    reason: 'test',
    failedAtMs: Date.now(),
  });
  const { code, stdout, stderr } = await replay([]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /Replayed dead letters: 1 stored, 0 already stored, 0 failed/);
  const logged = await fetch(`${fx.url}/v1/requests/${id}`, { headers: { 'lookout-auth': `Bearer ${adminKey}` } });
  assert.equal(logged.status, 200);
});

test('with no stack ever started under the data dir, it says how to start one', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'lookout-no-stack-'));
  t.after(() => rmSync(empty, { recursive: true, force: true }));
  const { code, stderr } = await replay([], empty);
  assert.equal(code, 1);
  assert.equal(
    stderr,
    `No local stack is running under ${empty} (start it with \`npm start\`, or pass ${DEPLOYMENT_FLAGS} for a deployment).\n`,
  );
});

// Last: it stops the shared stack (after() stopping it again is harmless).
test('after the stack has stopped, it says no stack is running instead of reporting 0 replayed', async () => {
  await fx.stack.stop();
  const { code, stdout, stderr } = await replay([]);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.equal(
    stderr,
    `No local stack is running under ${fx.dataDir} (start it with \`npm start\`, or pass ${DEPLOYMENT_FLAGS} for a deployment).\n`,
  );
});
