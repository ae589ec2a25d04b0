/**
 * The rollups table, what binding a function to it grants, access by access and action by action,
 * and the query API's binding. Bundling is skipped: the bundle is the stateless stack test's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseLookoutConfig, runtimeConfigFrom } from '../../../lambdas/contract/lookout-config.js';
import { AlertsTable } from '../../../lib/constructs/alerts-table.js';
import { KeysTable } from '../../../lib/constructs/keys-table.js';
import { LookoutFunction } from '../../../lib/constructs/lookout-function.js';
import { QueryApi } from '../../../lib/constructs/query-api.js';
import { QuotaCountersTable } from '../../../lib/constructs/quota-counters-table.js';
import { QuotasTable } from '../../../lib/constructs/quotas-table.js';
import { RequestLog } from '../../../lib/constructs/request-log.js';
import { RollupsTable } from '../../../lib/constructs/rollups-table.js';

const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
const rollups = new RollupsTable(stack, 'Rollups').table;
const fn = (id: string) => new LookoutFunction(stack, id, { entry: 'lambdas/handlers/query-api.ts', logRetentionDays: 7 });
fn('Reader').bind(rollups, 'read');
fn('Aggregator').bind(rollups, 'aggregate');
const requestLog = new RequestLog(stack, 'RequestLog', { retentionDays: 30 });
new QueryApi(stack, 'QueryApi', {
  keysTable: new KeysTable(stack, 'Keys').table,
  requestLogTable: requestLog.table,
  bodiesBucket: requestLog.bodiesBucket,
  quotasTable: new QuotasTable(stack, 'Quotas').table,
  quotaCounters: new QuotaCountersTable(stack, 'QuotaCounters').counters,
  rollupsTable: rollups,
  alertsTable: new AlertsTable(stack, 'Alerts').table,
  runtimeConfig: runtimeConfigFrom(parseLookoutConfig({})),
  logRetentionDays: 7,
});
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;

const rollupsTableId =
  Object.keys(template.findResources('AWS::DynamoDB::Table')).find((id) => id.startsWith('Rollups')) ?? assert.fail('no rollups table');
const functionId = (prefix: string) =>
  Object.keys(template.findResources('AWS::Lambda::Function')).find((id) => id.startsWith(prefix)) ?? assert.fail(prefix);

/** In the order the grant names them, as the policy lists them. */
const readActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const aggregateActions = [...readActions, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'];

/** The statements of a function's role that name the rollups table (or an index of it). */
function statementsOnRollups(fnId: string): { Action: string | string[]; Resource: unknown }[] {
  const roleId = resources[fnId]!.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .filter((statement: { Resource: unknown }) => JSON.stringify(statement.Resource).includes(rollupsTableId));
}

/**
 * Asserts that the function's role has exactly `actions` on the table (not on an index of it), and
 * that no other statement names the table.
 */
function assertGrants(fnId: string, actions: string[]): void {
  const roleId = resources[fnId]!.Properties.Role['Fn::GetAtt'][0];
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: [{ Ref: roleId }],
    PolicyDocument: {
      Statement: Match.arrayWith([{ Effect: 'Allow', Action: actions, Resource: [{ 'Fn::GetAtt': [rollupsTableId, 'Arn'] }] }]),
    },
  });
  assert.equal(statementsOnRollups(fnId).length, 1, 'no other statement names the table');
}

describe('RollupsTable', () => {
  it('keys items by pk and sk, both strings', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
    });
  });

  it('lets DynamoDB drop buckets past their retention by expiresAt', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: Match.arrayWith([{ AttributeName: 'pk', KeyType: 'HASH' }]),
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('bills on demand', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: Match.arrayWith([{ AttributeName: 'pk', KeyType: 'HASH' }]),
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('backs up two years of rollups users keep, and keeps them when its stack goes', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        KeySchema: Match.arrayWith([{ AttributeName: 'pk', KeyType: 'HASH' }]),
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('streams nothing and has no index', () => {
    const table = resources[rollupsTableId]!.Properties;
    assert.equal(table.StreamSpecification, undefined);
    assert.equal(table.GlobalSecondaryIndexes, undefined);
  });
});

describe('binding a function to the RollupsTable', () => {
  it("grants read as GetItem, BatchGetItem and Query alone (the query API's /v1/metrics)", () => {
    assertGrants(functionId('Reader'), readActions);
  });

  it("grants aggregate as read's actions with PutItem, UpdateItem and ConditionCheckItem (a TransactWriteItems' parts): no scan, no delete", () => {
    assertGrants(functionId('Aggregator'), aggregateActions);
  });

  it('names the table in LOOKOUT_ROLLUPS_TABLE', () => {
    for (const id of [functionId('Reader'), functionId('Aggregator')]) {
      assert.deepEqual(resources[id]!.Properties.Environment.Variables.LOOKOUT_ROLLUPS_TABLE, { Ref: rollupsTableId });
    }
  });
});

describe("the query API's binding to the RollupsTable", () => {
  const queryApiId = functionId('QueryApi');

  it('reads the rollups and nothing more', () => {
    assertGrants(queryApiId, readActions);
  });

  it('finds the table by LOOKOUT_ROLLUPS_TABLE', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('query API'),
      Environment: { Variables: Match.objectLike({ LOOKOUT_ROLLUPS_TABLE: { Ref: rollupsTableId } }) },
    });
  });
});
