/** The alerts table against DynamoDB Local: API rules, states written only from the version read, history newest first. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlertTable } from '../../../lambdas/adapters/dynamodb/alert-table.js';
import { createDocumentClient } from '../../../lambdas/adapters/dynamodb/document-client.js';
import { alertRuleInputSchema, type AlertRule } from '../../../lambdas/contract/alert-rule.js';
import { INITIAL_ALERT_STATE } from '../../../lambdas/core/alerts/alert-state.js';
import { startDynamoDbLocalTables, type DynamoDbLocalTables } from './dynamodb-local-tables.js';

let dynamo: DynamoDbLocalTables;
let documents: DynamoDBDocumentClient;
let table: AlertTable;

before(async () => {
  dynamo = await startDynamoDbLocalTables();
  documents = createDocumentClient(dynamo.environment());
  table = new AlertTable(documents, dynamo.tables.alerts);
});
after(async () => {
  documents?.destroy();
  await dynamo?.stop();
});

function rule(id: string, name: string): AlertRule {
  const input = alertRuleInputSchema.parse({ name, metric: 'error_rate', threshold: 5, windowSeconds: 600, channels: { slack: true } });
  return { ...input, id, source: 'api' };
}

describe('AlertTable', () => {
  it('keeps rules: put, get, list, replace and delete', async () => {
    await table.put(rule('a1', 'first'));
    await table.put(rule('a2', 'second'));
    await table.put({ ...rule('a1', 'first, renamed'), threshold: 9 });
    assert.deepEqual(
      (await table.list()).map((r) => [r.id, r.name, r.threshold]),
      [
        ['a1', 'first, renamed', 9],
        ['a2', 'second', 5],
      ],
    );
    assert.equal((await table.get('a2'))?.name, 'second');
    assert.equal(await table.delete('a2'), true);
    assert.equal(await table.delete('a2'), false);
    assert.equal(await table.get('a2'), null);
  });

  it('writes a state only from the version read: of two writers of one moment, one wins', async () => {
    const firing = { ...INITIAL_ALERT_STATE, status: 'firing' as const, breachStartedAtMs: 1 };
    const results = await Promise.all([table.writeState('r', '*', firing, null), table.writeState('r', '*', firing, null)]);
    assert.deepEqual(results.sort(), [false, true]);
    const [state] = [...(await table.readStates('r')).values()];
    assert.equal(state?.version, 1);
    assert.equal(state?.status, 'firing');
    assert.equal(await table.writeState('r', '*', { ...firing, status: 'resolved' }, 0), false, 'a stale version');
    assert.equal(await table.writeState('r', '*', { ...firing, status: 'resolved' }, 1), true);
    assert.equal((await table.readStates('r')).get('*')?.status, 'resolved');
  });

  it('keeps each group of a rule apart', async () => {
    await table.writeState('g', '"alice"', { ...INITIAL_ALERT_STATE, status: 'firing' }, null);
    await table.writeState('g', 'null', INITIAL_ALERT_STATE, null);
    assert.deepEqual([...(await table.readStates('g')).keys()].sort(), ['"alice"', 'null']);
  });

  it('reads history newest first', async () => {
    await table.appendHistory('h', [
      { type: 'transition', atMs: 1_000, group: null, kind: 'triggered', status: 'firing', value: 7, requests: 40 },
      { type: 'delivery', atMs: 1_001, group: null, kind: 'triggered', channel: 'slack', outcome: 'delivered', attempts: 1 },
      { type: 'transition', atMs: 5_000, group: null, kind: 'resolved', status: 'resolved', value: 1, requests: 40 },
    ]);
    assert.deepEqual(
      (await table.readHistory('h', 2)).map((e) => e.atMs),
      [5_000, 1_001],
    );
  });
});
