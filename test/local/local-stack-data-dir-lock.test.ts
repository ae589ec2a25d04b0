/**
 * The local stack owns its data dir, however it is started: a second stack on the same folder, as
 * tests and `npm start` both create them, is refused before it starts Java, and stop frees the dir.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DATA_DIR_LOCK_FILE } from '../../lambdas/local/data-dir-lock.js';
import { startLocalStack } from '../../lambdas/local/local-stack.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';

let fx: StackFixture;

before(async () => {
  fx = await startStackFixture();
});
// The last test stops the stack itself; the fixture's close() stops it (a second stop is a no-op) and removes the dir.
after(() => fx.close());

test('a second stack on a data dir in use is refused with the URL of the first', async () => {
  await assert.rejects(startLocalStack({ port: 0, dataDir: fx.dataDir, config: { providers: {} } }), {
    message: new RegExp(`^another Lookout is running on this data dir at ${fx.url} \\(pid ${process.pid};`),
  });
  assert.equal((await fetch(`${fx.url}/healthz`)).status, 200, 'the first stack is untouched');
});

test('stop releases the data dir', async () => {
  assert.ok(existsSync(join(fx.dataDir, DATA_DIR_LOCK_FILE)));
  await fx.stack.stop();
  assert.equal(existsSync(join(fx.dataDir, DATA_DIR_LOCK_FILE)), false);
});
