import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentVariable } from '../../lambdas/contract/environment-variables.js';
import type { RuntimeConfigInput } from '../../lambdas/contract/runtime-config-schema.js';
import type { BindableBucket, BindableTable } from './bindable-resources.js';
import { LookoutFunction } from './lookout-function.js';

export interface QueryApiProps {
  readonly keysTable: BindableTable;
  readonly requestLogTable: BindableTable;
  readonly bodiesBucket: BindableBucket;
  /** The runtime part of the deployment config. */
  readonly runtimeConfig: RuntimeConfigInput;
  readonly logRetentionDays: number;
}

/** The query API Lambda (`/v1/*`, `/healthz`): it reads the request log, keys and bodies, and writes nothing. */
export class QueryApi extends Construct {
  readonly function: LookoutFunction;

  constructor(scope: Construct, id: string, props: QueryApiProps) {
    super(scope, id);
    this.function = new LookoutFunction(this, 'Function', {
      entry: 'lambdas/handlers/query-api.ts',
      description: 'Lookout query API: requests, users, sessions, metrics, keys',
      logRetentionDays: props.logRetentionDays,
      // API Gateway gives a buffered integration 29 s; working longer would be wasted.
      timeout: Duration.seconds(29),
      environment: { [EnvironmentVariable.runtimeConfig]: JSON.stringify(props.runtimeConfig) },
    })
      .bind(props.keysTable, 'read')
      .bind(props.requestLogTable, 'read')
      .bind(props.bodiesBucket, 'read');
  }
}
