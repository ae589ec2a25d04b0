/**
 * A burst larger than the bound on pending request-log writes, through the whole local stack:
 * clients are slowed rather than logs piled up in memory, and every log is stored exactly once.
 * How much memory that holds is measured in the bench (`npm run bench`), not asserted here.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/document-client.js';
import { LOCAL_TABLE_NAMES, localDeadLetterDir } from '../../lambdas/local/local-stack.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';

const BOUND = 4;
const REQUESTS = 240;
const CONNECTIONS = 32;

let fx: StackFixture;
let appKey: string;

before(async () => {
  fx = await startStackFixture({}, { maxPendingLogWrites: BOUND });
  appKey = await fx.createKey('app');
});

after(() => fx.close());

async function chat(index: number): Promise<string> {
  const response = await fetch(`${fx.url}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-provider', 'lookout-auth': `Bearer ${appKey}` },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `burst ${index}` }] }),
  });
  assert.equal(response.status, 200);
  await response.arrayBuffer();
  return response.headers.get('lookout-id')!;
}

test(`a burst of ${REQUESTS} requests over ${CONNECTIONS} connections, bound ${BOUND}: every log stored exactly once`, async () => {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < REQUESTS) ids.push(await chat(next++));
    }),
  );
  assert.equal(new Set(ids).size, REQUESTS, 'each answer has its own request id');
  await fx.stack.idle();

  const client = createDocumentClient(fx.stack.lambdaEnvironment);
  const stored: Record<string, unknown>[] = [];
  for (let start = 0; start < ids.length; start += 100) {
    let keys: Record<string, unknown>[] | undefined = ids.slice(start, start + 100).map((id) => ({ id }));
    while (keys?.length) {
      const page: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({ RequestItems: { [LOCAL_TABLE_NAMES.requestLog]: { Keys: keys } } }),
      );
      stored.push(...(page.Responses?.[LOCAL_TABLE_NAMES.requestLog] ?? []));
      keys = page.UnprocessedKeys?.[LOCAL_TABLE_NAMES.requestLog]?.Keys;
    }
  }
  assert.deepEqual(stored.map((item) => item.id).sort(), [...ids].sort(), 'every request is in the log, once');
  const spool = localDeadLetterDir(fx.dataDir);
  assert.deepEqual(existsSync(spool) ? readdirSync(spool) : [], [], 'nothing was dead-lettered');
});
