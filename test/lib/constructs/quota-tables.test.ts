/**
 * The quotas table and the quota counters table (the DynamoDB backend's), and what binding a
 * function to each grants, access by access and action by action. Bundling is skipped: the bundle
 * is the stateless stack test's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LookoutFunction } from '../../../lib/constructs/lookout-function.js';
import { QuotaCountersTable } from '../../../lib/constructs/quota-counters-table.js';
import { QuotasTable } from '../../../lib/constructs/quotas-table.js';

const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
const quotas = new QuotasTable(stack, 'Quotas').table;
const { counters } = new QuotaCountersTable(stack, 'QuotaCounters');
const fn = (id: string) => new LookoutFunction(stack, id, { entry: 'lambdas/handlers/query-api.ts', logRetentionDays: 7 });
fn('Reader').bind(quotas, 'read').bind(counters, 'read');
fn('Writer').bind(quotas, 'read-write').bind(counters, 'read-write');
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }>;

function tableId(constructId: string): string {
  return Object.keys(template.findResources('AWS::DynamoDB::Table')).find((id) => id.startsWith(constructId)) ?? assert.fail(constructId);
}
const quotasTableId = tableId('Quotas');
const countersTableId = tableId('QuotaCounters');

/** The actions a function's role has on a table, and how many statements name the table at all. */
function grantsOf(functionId: string, table: string): { actions: string[]; statements: number } {
  const roleId = resources[functionId]!.Properties.Role['Fn::GetAtt'][0];
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
    .filter((statement) => JSON.stringify(statement.Resource).includes(table));
  return { actions: statements.flatMap((statement) => [statement.Action].flat()).sort(), statements: statements.length };
}
const functionId = (prefix: string) =>
  Object.keys(template.findResources('AWS::Lambda::Function')).find((id) => id.startsWith(prefix)) ?? assert.fail(prefix);

describe('QuotasTable', () => {
  const table = resources[quotasTableId]!;

  it('keys quotas by id, on demand, with point-in-time recovery, kept when its stack goes', () => {
    assert.deepEqual(table.Properties.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
    assert.equal(table.Properties.BillingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(table.Properties.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true });
    assert.equal(table.DeletionPolicy, 'Retain');
    assert.equal(table.Properties.TimeToLiveSpecification, undefined);
  });

  it('grants read as Scan alone (the gateway loads every quota)', () => {
    assert.deepEqual(grantsOf(functionId('Reader'), quotasTableId), { actions: ['dynamodb:Scan'], statements: 1 });
  });

  it("grants read-write as the query API's list, get, put and delete, and no update", () => {
    assert.deepEqual(grantsOf(functionId('Writer'), quotasTableId), {
      actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan'],
      statements: 1,
    });
  });

  it('names the table in LOOKOUT_QUOTAS_TABLE', () => {
    for (const id of [functionId('Reader'), functionId('Writer')]) {
      assert.deepEqual(resources[id]!.Properties.Environment.Variables.LOOKOUT_QUOTAS_TABLE, { Ref: quotasTableId });
    }
  });
});

describe('QuotaCountersTable', () => {
  const table = resources[countersTableId]!;

  it('keys counters by counterKey, on demand, dropping idle ones by expiresAt', () => {
    assert.deepEqual(table.Properties.KeySchema, [{ AttributeName: 'counterKey', KeyType: 'HASH' }]);
    assert.equal(table.Properties.BillingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(table.Properties.TimeToLiveSpecification, { AttributeName: 'expiresAt', Enabled: true });
  });

  it('keeps no backups of counts that a restore would make wrong, and goes with its stack', () => {
    assert.deepEqual(table.Properties.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: false });
    assert.equal(table.DeletionPolicy, 'Delete');
  });

  it('grants read as GetItem alone (the usage route)', () => {
    assert.deepEqual(grantsOf(functionId('Reader'), countersTableId), { actions: ['dynamodb:GetItem'], statements: 1 });
  });

  it("grants read-write as a reserve's and a settle's GetItem, PutItem and UpdateItem: no scan, no delete", () => {
    assert.deepEqual(grantsOf(functionId('Writer'), countersTableId), {
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      statements: 1,
    });
  });

  it('names the table in LOOKOUT_QUOTA_COUNTERS_TABLE', () => {
    for (const id of [functionId('Reader'), functionId('Writer')]) {
      assert.deepEqual(resources[id]!.Properties.Environment.Variables.LOOKOUT_QUOTA_COUNTERS_TABLE, { Ref: countersTableId });
    }
  });
});
