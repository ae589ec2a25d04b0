/**
 * No request log is lost: with DynamoDB Local stopped while requests flow, clients still get
 * their answers, the logs go to the dead-letter spool, and `npm run logs:replay` stores each of
 * them exactly once after DynamoDB is back, however often it runs.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { MOCK_TEXT } from '../../lambdas/demo/mock-provider.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';

let fx: StackFixture;
let appKey: string;
let adminKey: string;

before(async () => {
  fx = await startStackFixture();
  appKey = await fx.createKey('app');
  adminKey = await fx.createKey('admin');
});
after(() => fx.close());

const replay = () =>
  promisify(execFile)('node_modules/.bin/tsx', ['lambdas/cli/replay-dead-letters.ts'], {
    env: { ...process.env, LOOKOUT_DATA_DIR: fx.dataDir },
  });
const spoolDir = () => join(fx.dataDir, 'dead-letters');
const spooled = () => {
  try {
    return readdirSync(spoolDir()).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
};

test('requests keep working while DynamoDB is down, and replay logs each exactly once', async () => {
  const openai = new OpenAI({
    apiKey: 'sk-test',
    baseURL: `${fx.url}/openai/v1`,
    defaultHeaders: { 'Lookout-Auth': `Bearer ${appKey}` },
    maxRetries: 0,
  });
  const ids: string[] = [];
  // Requests sent once DynamoDB Local is gone must end up in the spool; those sent while it stops
  // race the shutdown, and either way each must be stored exactly once in the end.
  const sentWhileDown: string[] = [];
  let stopped: Promise<void> | undefined;
  for (let i = 0; i < 24; i++) {
    if (i === 6) stopped = fx.stack.dynamo.stop();
    if (i === 12) await stopped;
    const stream = i % 2 === 1;
    const { data, response } = await openai.chat.completions
      .create({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: `request ${i}` }] } as never)
      .withResponse();
    let text = '';
    if (stream)
      for await (const chunk of data as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>) text += chunk.choices[0]?.delta.content ?? '';
    else text = (data as unknown as OpenAI.ChatCompletion).choices[0]!.message.content ?? '';
    assert.equal(text, MOCK_TEXT, `request ${i} succeeded for the client`);
    ids.push(response.headers.get('lookout-id')!);
    if (i >= 12) sentWhileDown.push(ids.at(-1)!);
  }

  // Each failed write is retried with backoff before it is dead-lettered; wait until every
  // invocation, its log write included, has finished.
  await fx.stack.idle();
  const spooledIds = spooled().join('\n');
  for (const id of sentWhileDown) assert.ok(spooledIds.includes(id), `the log of ${id}, sent while DynamoDB was down, is in the spool`);

  await fx.stack.dynamo.start();
  const [first] = spooled();
  copyFileSync(join(spoolDir(), first!), join(spoolDir(), `duplicate-${first}`));
  const expectedFromSpool = spooled().length;

  // While DynamoDB Local is stopping, a write can land although the gateway saw an error, so a record
  // can be both stored and dead-lettered; replay then counts it as already stored. The promise is that
  // every letter is accounted for and each request ends up stored exactly once, not one count of that race.
  const firstReplay = await replay();
  const summary = /(\d+) stored, (\d+) already stored, (\d+) failed/.exec(firstReplay.stdout);
  assert.ok(summary, `replay prints a summary: ${firstReplay.stdout}`);
  const [stored, alreadyStored, failed] = summary.slice(1).map(Number) as [number, number, number];
  assert.equal(failed, 0, 'no letter failed to replay');
  assert.equal(stored + alreadyStored, expectedFromSpool, 'every dead letter is stored or found already stored');
  assert.ok(alreadyStored >= 1, 'the duplicated letter is recognised as already stored');
  assert.deepEqual(spooled(), [], 'replayed letters are removed');
  const secondReplay = await replay();
  assert.match(secondReplay.stdout, /0 stored, 0 already stored, 0 failed/);

  const listed = (await fetch(`${fx.url}/v1/requests?limit=1000`, { headers: { 'lookout-auth': `Bearer ${adminKey}` } }).then((r) =>
    r.json(),
  )) as { requests: { id: string }[] };
  const counts = new Map<string, number>();
  for (const { id } of listed.requests) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const id of ids) assert.equal(counts.get(id), 1, `request ${id} is logged exactly once`);
});
