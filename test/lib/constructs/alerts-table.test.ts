/**
 * The alerts table and what binding a function to it grants, access by access and action by
 * action. Bundling is skipped: the bundle is the stateless stack test's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AlertsTable } from '../../../lib/constructs/alerts-table.js';
import { LookoutFunction } from '../../../lib/constructs/lookout-function.js';

const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
const alerts = new AlertsTable(stack, 'Alerts').table;
const fn = (id: string) => new LookoutFunction(stack, id, { entry: 'lambdas/handlers/query-api.ts', logRetentionDays: 7 });
fn('Reader').bind(alerts, 'read');
fn('Writer').bind(alerts, 'read-write');
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<
  string,
  { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }
>;

const alertsTableId =
  Object.keys(template.findResources('AWS::DynamoDB::Table')).find((id) => id.startsWith('Alerts')) ?? assert.fail('no alerts table');
const functionId = (prefix: string) =>
  Object.keys(template.findResources('AWS::Lambda::Function')).find((id) => id.startsWith(prefix)) ?? assert.fail(prefix);

/** In the order the grant names them, as the policy lists them. */
const readActions = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];
const readWriteActions = [...readActions, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'];

/** Asserts the function's role has exactly `actions` on the table, and that no other statement names it. */
function assertGrants(fnId: string, actions: string[]): void {
  const roleId = resources[fnId]!.Properties.Role['Fn::GetAtt'][0];
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: [{ Ref: roleId }],
    PolicyDocument: {
      Statement: Match.arrayWith([{ Effect: 'Allow', Action: actions, Resource: [{ 'Fn::GetAtt': [alertsTableId, 'Arn'] }] }]),
    },
  });
  const naming = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .filter((statement: { Resource: unknown }) => JSON.stringify(statement.Resource).includes(alertsTableId));
  assert.equal(naming.length, 1, 'no other statement names the table');
}

describe('AlertsTable', () => {
  const table = resources[alertsTableId]!;

  it('keys items by pk and sk, both strings', () => {
    assert.deepEqual(table.Properties.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    assert.deepEqual(table.Properties.AttributeDefinitions, [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ]);
  });

  it('lets DynamoDB drop old history by expiresAt', () => {
    assert.deepEqual(table.Properties.TimeToLiveSpecification, { AttributeName: 'expiresAt', Enabled: true });
  });

  it('bills on demand', () => {
    assert.equal(table.Properties.BillingMode, 'PAY_PER_REQUEST');
  });

  it('backs up the rules a team made and their state, and keeps them when its stack goes', () => {
    assert.deepEqual(table.Properties.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true });
    assert.equal(table.DeletionPolicy, 'Retain');
    assert.equal(table.UpdateReplacePolicy, 'Retain');
  });

  it('streams nothing and has no index', () => {
    assert.equal(table.Properties.StreamSpecification, undefined);
    assert.equal(table.Properties.GlobalSecondaryIndexes, undefined);
  });
});

describe('binding a function to the AlertsTable', () => {
  it('grants read as GetItem, Query and Scan alone (the rollup aggregator)', () => {
    assertGrants(functionId('Reader'), readActions);
  });

  it("grants read-write as read's actions with PutItem, UpdateItem, DeleteItem and ConditionCheckItem: no batch writes", () => {
    assertGrants(functionId('Writer'), readWriteActions);
  });

  it('names the table in LOOKOUT_ALERTS_TABLE', () => {
    for (const id of [functionId('Reader'), functionId('Writer')]) {
      assert.deepEqual(resources[id]!.Properties.Environment.Variables.LOOKOUT_ALERTS_TABLE, { Ref: alertsTableId });
    }
  });
});
