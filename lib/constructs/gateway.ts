import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { EnvironmentVariable } from '../../lambdas/contract/environment-variables.js';
import type { RuntimeConfigInput } from '../../lambdas/contract/runtime-config-schema.js';
import type {
  BindableBucket,
  BindableQueue,
  BindableQuotaCounters,
  BindableQuotaTable,
  BindableResponseCache,
  BindableTable,
} from './bindable-resources.js';
import { streamingIntegrationTimeout } from './gateway-api.js';
import { LookoutFunction } from './lookout-function.js';

export interface GatewayProps {
  readonly keysTable: BindableTable;
  readonly requestLogTable: BindableTable;
  readonly bodiesBucket: BindableBucket;
  readonly deadLetterQueue: BindableQueue;
  readonly responseCache: BindableResponseCache;
  readonly quotasTable: BindableQuotaTable;
  readonly quotaCounters: BindableQuotaCounters;
  /** The VPC to run in when the response cache and the quota counters are only reachable there (the Valkey backend). */
  readonly vpc?: IVpc;
  /** The runtime part of the deployment config. */
  readonly runtimeConfig: RuntimeConfigInput;
  readonly logRetentionDays: number;
}

/**
 * The gateway Lambda, which every provider route streams from. It reads gateway keys and quotas,
 * reads and stores response cache entries, reserves and settles on the quota counters, and only
 * ever adds to the request log: items, bodies, and dead letters for the items it could not write.
 */
export class Gateway extends Construct {
  readonly function: LookoutFunction;

  constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id);
    this.function = new LookoutFunction(this, 'Function', {
      entry: 'lambdas/handlers/gateway.ts',
      description: 'Lookout gateway: authenticates, forwards to the provider, streams back, logs',
      logRetentionDays: props.logRetentionDays,
      // A streamed completion may run as long as API Gateway keeps the stream open.
      timeout: streamingIntegrationTimeout,
      // Memory buys CPU and network throughput for TLS and large streamed bodies.
      memorySize: 1024,
      environment: { [EnvironmentVariable.runtimeConfig]: JSON.stringify(props.runtimeConfig) },
      vpc: props.vpc,
    })
      .bind(props.keysTable, 'read')
      // Log items are only ever created (conditional put by request id), never changed or deleted.
      .bind(props.requestLogTable, 'put')
      .bind(props.bodiesBucket, 'put')
      .bind(props.deadLetterQueue, 'send')
      .bind(props.responseCache, 'read-write')
      .bind(props.quotasTable, 'read')
      .bind(props.quotaCounters, 'read-write');
  }
}
