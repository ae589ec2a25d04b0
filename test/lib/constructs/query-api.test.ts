/**
 * The query API's function and what its asset holds beside the handler: the dashboard it serves
 * at `/dashboard`, built by the bundling's after-hook. Its table grants are asserted with each
 * table's construct; only this stack is bundled, the query API alone.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseLookoutConfig, runtimeConfigFrom } from '../../../lambdas/contract/lookout-config.js';
import { AlertsTable } from '../../../lib/constructs/alerts-table.js';
import { KeysTable } from '../../../lib/constructs/keys-table.js';
import { QueryApi } from '../../../lib/constructs/query-api.js';
import { QuotaCountersTable } from '../../../lib/constructs/quota-counters-table.js';
import { QuotasTable } from '../../../lib/constructs/quotas-table.js';
import { RequestLog } from '../../../lib/constructs/request-log.js';
import { RollupsTable } from '../../../lib/constructs/rollups-table.js';

const app = new App();
const stack = new Stack(app, 'Test');
const requestLog = new RequestLog(stack, 'RequestLog', { retentionDays: 30 });
new QueryApi(stack, 'QueryApi', {
  keysTable: new KeysTable(stack, 'Keys').table,
  requestLogTable: requestLog.table,
  bodiesBucket: requestLog.bodiesBucket,
  quotasTable: new QuotasTable(stack, 'Quotas').table,
  quotaCounters: new QuotaCountersTable(stack, 'QuotaCounters').counters,
  rollupsTable: new RollupsTable(stack, 'Rollups').table,
  alertsTable: new AlertsTable(stack, 'Alerts').table,
  runtimeConfig: runtimeConfigFrom(parseLookoutConfig({})),
  logRetentionDays: 7,
});
const template = Template.fromStack(stack);
const assembly = app.synth();
const [[, queryApi] = []] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith('QueryApi'));
assert.ok(queryApi, 'no query API function');
const assetDir = join(assembly.directory, `asset.${String(queryApi.Properties.Code.S3Key).replace(/\.zip$/, '')}`);

describe('query API construct: the dashboard', () => {
  it('builds the dashboard into its asset, beside the handler', () => {
    assert.ok(existsSync(join(assetDir, 'index.mjs')));
    const page = readFileSync(join(assetDir, 'dashboard', 'index.html'), 'utf8');
    assert.match(page, /%ASSETS%\/app\.js/);
    assert.ok(readFileSync(join(assetDir, 'dashboard', 'assets', 'app.js')).length > 0);
    assert.ok(existsSync(join(assetDir, 'dashboard', 'assets', 'app.css')));
  });

  it('tells the function where the dashboard is once Lambda has unpacked the asset', () => {
    assert.equal(queryApi.Properties.Environment.Variables.LOOKOUT_DASHBOARD_DIR, '/var/task/dashboard');
  });
});
