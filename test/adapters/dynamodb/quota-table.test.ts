/**
 * The quotas table against DynamoDB Local: the query API's SDK-based `QuotaTable` keeps the
 * API's quotas, and the gateway's lean `QuotaDefinitionsLookup` lists them as they were stored,
 * page by page.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DeleteCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/adapters/dynamodb/document-client.js';
import { dynamoDbJsonClientFromEnv } from '../../../lambdas/adapters/dynamodb/dynamodb-json-client.js';
import { QuotaDefinitionsLookup } from '../../../lambdas/adapters/dynamodb/quota-definitions-lookup.js';
import { QuotaTable } from '../../../lambdas/adapters/dynamodb/quota-table.js';
import { QUICK_RETRIES } from '../../../lambdas/adapters/sdk-retry-options.js';
import type { QuotaDefinition } from '../../../lambdas/contract/quota-definition.js';
import { startDynamoDbLocalTables, type DynamoDbLocalTables } from './dynamodb-local-tables.js';

let dynamo: DynamoDbLocalTables;
let documents: DynamoDBDocumentClient;
let table: QuotaTable;
let lookup: QuotaDefinitionsLookup;

before(async () => {
  dynamo = await startDynamoDbLocalTables();
  documents = createDocumentClient(dynamo.environment());
  table = new QuotaTable(documents, dynamo.tables.quotas);
  lookup = new QuotaDefinitionsLookup(dynamoDbJsonClientFromEnv(dynamo.environment(), QUICK_RETRIES), dynamo.tables.quotas);
});

after(async () => {
  documents?.destroy();
  await dynamo?.stop();
});

beforeEach(async () => {
  const { Items = [] } = await documents.send(new ScanCommand({ TableName: dynamo.tables.quotas }));
  for (const { id } of Items) await documents.send(new DeleteCommand({ TableName: dynamo.tables.quotas, Key: { id } }));
});

function quota(name: string, fields: Partial<QuotaDefinition> = {}): QuotaDefinition {
  return { id: randomUUID(), source: 'api', name, unit: 'requests', limit: 10, windowSeconds: 60, scope: 'user', ...fields };
}
const byId = (quotas: QuotaDefinition[]) => [...quotas].sort((a, b) => a.id.localeCompare(b.id));

describe('QuotaTable', () => {
  it('stores a quota as given and finds it by id, with or without a match', async () => {
    const plain = quota('plain');
    const matched = quota('free-daily', { unit: 'usd', limit: 1.5, windowSeconds: 86400, match: { properties: { tier: 'free' } } });
    await table.create(plain);
    await table.create(matched);
    assert.deepEqual(await table.get(plain.id), plain);
    assert.deepEqual(await table.get(matched.id), matched);
    assert.equal(await table.get(randomUUID()), undefined);
  });

  it('lists the quotas by name', async () => {
    const quotas = [quota('b'), quota('a'), quota('c')];
    for (const q of quotas) await table.create(q);
    assert.deepEqual(
      (await table.list()).map((q) => q.name),
      ['a', 'b', 'c'],
    );
  });

  it('never overwrites a quota on create', async () => {
    const original = quota('original');
    await table.create(original);
    await assert.rejects(table.create({ ...original, name: 'other' }), { name: 'ConditionalCheckFailedException' });
    assert.deepEqual(await table.get(original.id), original);
  });

  it('replaces a quota that exists, and makes none that does not', async () => {
    const original = quota('original');
    await table.create(original);
    const changed = { ...original, limit: 20, match: { properties: { team: 'ml' } } };
    assert.equal(await table.replace(changed), true);
    assert.deepEqual(await table.get(original.id), changed);
    const absent = quota('absent');
    assert.equal(await table.replace(absent), false);
    assert.equal(await table.get(absent.id), undefined);
  });

  it('deletes a quota that exists, and says so when there is none', async () => {
    const doomed = quota('doomed');
    await table.create(doomed);
    assert.equal(await table.delete(doomed.id), true);
    assert.equal(await table.get(doomed.id), undefined);
    assert.equal(await table.delete(doomed.id), false);
  });

  it('refuses an item changed by hand into something that is not a quota, naming it and its field', async () => {
    const broken = quota('broken');
    await table.create(broken);
    await documents.send(new PutCommand({ TableName: dynamo.tables.quotas, Item: { ...broken, source: undefined, limit: -5 } }));
    await assert.rejects(
      table.get(broken.id),
      new RegExp(`item ${broken.id} is not a quota:\\n {2}limit: must be a number above 0, got -5`),
    );
    await assert.rejects(lookup.list(), new RegExp(`item ${broken.id} is not a quota`));
  });
});

describe('QuotaDefinitionsLookup', () => {
  it('lists what the query API stored, as it stored it', async () => {
    const quotas = [quota('a'), quota('b', { unit: 'tokens', scope: 'property:team', match: { properties: { tier: 'free' } } })];
    for (const q of quotas) await table.create(q);
    assert.deepEqual(byId(await lookup.list()), byId(quotas));
  });

  it('lists nothing from an empty table', async () => {
    assert.deepEqual(await lookup.list(), []);
  });

  it('pages through a table larger than one Scan answers (1 MB)', async () => {
    // Eight quotas of about 350 KB each (a long match value) make several pages.
    const quotas = [...'abcdefgh'].map((name) => quota(name, { match: { properties: { note: name.repeat(350_000) } } }));
    for (const q of quotas) await table.create(q);
    const firstPage = await documents.send(new ScanCommand({ TableName: dynamo.tables.quotas }));
    assert.ok(firstPage.LastEvaluatedKey, `the table takes more than one page (the first has ${firstPage.Count} items)`);
    assert.deepEqual(byId(await lookup.list()), byId(quotas));
  });
});
