/**
 * `npm run rollups:rebuild` against a running local stack, as a user runs it: yesterday's
 * requests are aggregated live through the stream, their rollups are lost, and the rebuild puts
 * back exactly what the stream had built; a second run changes nothing; today is refused.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BatchWriteCommand, DeleteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/document-client.js';
import { requestLogItem } from '../../lambdas/adapters/dynamodb/request-log-item.js';
import { bucketFromItem, seriesFromItem } from '../../lambdas/adapters/dynamodb/rollup-item.js';
import { LOCAL_TABLE_NAMES } from '../../lambdas/local/local-stack.js';
import { runCliTool } from '../support/cli-process.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';
import { logRecord } from '../support/request-log-records.js';

const DAY_MS = 86_400_000;
const yesterdayStartMs = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
const yesterday = new Date(yesterdayStartMs).toISOString().slice(0, 10);

let fx: StackFixture;
let documents: DynamoDBDocumentClient;
before(async () => {
  fx = await startStackFixture({ indexedProperties: ['feature'] });
  documents = createDocumentClient(fx.stack.lambdaEnvironment);
});
after(async () => {
  documents?.destroy();
  await fx.close();
});

const rebuild = (args: string[]) => runCliTool('lambdas/cli/rollups-rebuild.ts', args, fx.dataDir);

async function rollupItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: LOCAL_TABLE_NAMES.rollups, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Yesterday's buckets, by key, as the rollups read them. */
async function yesterdaysBuckets() {
  const buckets = new Map<string, unknown>();
  for (const item of await rollupItems()) {
    const [resolution, , startMs] = String(item.pk).split('|');
    if (!['m', 'h', 'd'].includes(resolution!) || Number(startMs) < yesterdayStartMs || Number(startMs) >= yesterdayStartMs + DAY_MS)
      continue;
    buckets.set(`${item.pk} ${item.sk}`, { series: seriesFromItem(item), bucket: bucketFromItem(item) });
  }
  return buckets;
}

test('--help prints the usage', async () => {
  const { code, stdout } = await rebuild(['--help']);
  assert.equal(code, 0);
  assert.match(stdout, /^Usage:\n {2}npm run rollups:rebuild -- --from DAY --to DAY/);
});

test('rebuilds a lost day to what the stream built, idempotently, and refuses today', async () => {
  const records = Array.from({ length: 40 }, (_, i) =>
    logRecord({
      id: `yesterday-${i}`,
      createdAtMs: yesterdayStartMs + 3_600_000 + i * 97_000,
      userId: `user-${i % 4}`,
      model: i % 2 ? 'gpt-4o' : 'gpt-4o-mini',
      status: i % 9 === 0 ? 502 : 200,
      outcome: i % 9 === 0 ? 'upstream_error' : 'completed',
      latencyMs: 80 + i * 11,
      properties: { feature: `feature-${i % 3}` },
    }),
  );
  for (let start = 0; start < records.length; start += 25) {
    const puts = records.slice(start, start + 25).map((record) => ({ PutRequest: { Item: requestLogItem(record, 30) } }));
    await documents.send(new BatchWriteCommand({ RequestItems: { [LOCAL_TABLE_NAMES.requestLog]: puts } }));
  }
  await fx.stack.rollupsCaughtUp();
  const live = await yesterdaysBuckets();
  assert.ok(live.size > 100, `the stream built yesterday's buckets (${live.size})`);

  // The incident: yesterday's rollups are gone.
  for (const item of await rollupItems()) {
    const startMs = Number(String(item.pk).split('|')[2]);
    if (startMs >= yesterdayStartMs && startMs < yesterdayStartMs + DAY_MS) {
      await documents.send(new DeleteCommand({ TableName: LOCAL_TABLE_NAMES.rollups, Key: { pk: item.pk, sk: item.sk } }));
    }
  }
  assert.equal((await yesterdaysBuckets()).size, 0);

  const first = await rebuild(['--from', yesterday, '--to', yesterday]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, new RegExp(`Rebuilt 1 day\\(s\\) \\(${yesterday} to ${yesterday}\\): 40 requests`));
  assert.deepEqual(await yesterdaysBuckets(), live);
  const second = await rebuild(['--from', `${yesterday}T12:00:00Z`, '--to', yesterday]);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(await yesterdaysBuckets(), live);

  const today = new Date().toISOString().slice(0, 10);
  const refused = await rebuild(['--from', yesterday, '--to', today]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`Cannot rebuild that range: ${today} is still being added to by the stream`));
});
