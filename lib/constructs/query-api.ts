import { Duration } from 'aws-cdk-lib';
import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { EnvironmentVariable } from '../../lambdas/contract/environment-variables.js';
import type { RuntimeConfigInput } from '../../lambdas/contract/runtime-config-schema.js';
import type {
  BindableAlertChannels,
  BindableAlertsTable,
  BindableBucket,
  BindableQuotaCounters,
  BindableQuotaTable,
  BindableRollupsTable,
  BindableTable,
} from './bindable-resources.js';
import { LookoutFunction, repoRoot } from './lookout-function.js';

/** Where the dashboard is in the function's asset, which Lambda unpacks at /var/task. */
const DASHBOARD_ASSET_DIR = 'dashboard';

export interface QueryApiProps {
  readonly keysTable: BindableTable;
  readonly requestLogTable: BindableTable;
  readonly bodiesBucket: BindableBucket;
  readonly quotasTable: BindableQuotaTable;
  readonly quotaCounters: BindableQuotaCounters;
  /** The usage rollups `/v1/metrics` reads. */
  readonly rollupsTable: BindableRollupsTable;
  /** The alert rules `/v1/alerts` makes, and the state and history it shows. */
  readonly alertsTable: BindableAlertsTable;
  /** The VPC to run in when the quota counters are only reachable there (in the Valkey cache). */
  readonly vpc?: IVpc;
  /** The runtime part of the deployment config. */
  readonly runtimeConfig: RuntimeConfigInput;
  readonly logRetentionDays: number;
}

/**
 * The query API Lambda (`/v1/*`, `/healthz`, `/dashboard`): it reads the request log, keys, bodies, quota
 * counters and usage rollups, writes only the quotas and alert rules made through `/v1/quotas` and
 * `/v1/alerts`, and sends `POST /v1/alerts/{id}/test` notifications (`sendsAlertsThrough`).
 * The dashboard is built into its asset after the handler's bundle (`dashboard/build-dashboard.ts`,
 * the same local esbuild), and served from there.
 */
export class QueryApi extends Construct {
  readonly function: LookoutFunction;

  constructor(scope: Construct, id: string, props: QueryApiProps) {
    super(scope, id);
    this.function = new LookoutFunction(this, 'Function', {
      entry: 'lambdas/handlers/query-api.ts',
      description: 'Lookout query API: requests, users, sessions, metrics, alerts, keys',
      logRetentionDays: props.logRetentionDays,
      // API Gateway gives a buffered integration 29 s; working longer would be wasted.
      timeout: Duration.seconds(29),
      environment: {
        [EnvironmentVariable.runtimeConfig]: JSON.stringify(props.runtimeConfig),
        [EnvironmentVariable.dashboardDir]: `/var/task/${DASHBOARD_ASSET_DIR}`,
      },
      vpc: props.vpc,
      afterBundling: (outputDir) => [dashboardBuildCommand(`${outputDir}/${DASHBOARD_ASSET_DIR}`)],
    })
      .bind(props.keysTable, 'read')
      .bind(props.requestLogTable, 'read')
      .bind(props.bodiesBucket, 'read')
      .bind(props.quotasTable, 'read-write')
      .bind(props.quotaCounters, 'read')
      .bind(props.rollupsTable, 'read')
      .bind(props.alertsTable, 'read-write');
  }

  /**
   * Gives the function the alert channels the evaluator notifies through, for the test
   * notification. A step of its own, after the API exists: the channels carry the API's URL (the
   * links in a notification), and the API is built on this function.
   */
  sendsAlertsThrough(channels: BindableAlertChannels): this {
    this.function.bind(channels, 'notify');
    return this;
  }
}

/**
 * The shell command that builds the dashboard into `outDir`: `node`, as the bundling shell finds
 * it (the project's Node under npm scripts), with tsx's loader, both resolved from the repository.
 */
function dashboardBuildCommand(outDir: string): string {
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  return ['node', '--import', 'tsx', quote(`${repoRoot}dashboard/build-dashboard.ts`), quote(outDir)].join(' ');
}
