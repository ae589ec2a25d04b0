import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { runtimeConfigFrom, type LookoutConfig } from '../../lambdas/contract/lookout-config.js';
import { GatewayApi, streamingIntegrationTimeout } from '../constructs/gateway-api.js';
import { LookoutFunction } from '../constructs/lookout-function.js';

export interface StatelessStackProps extends StackProps {
  readonly config: LookoutConfig;
  readonly keysTable: ITable;
  readonly requestLogTable: ITable;
  readonly bodiesBucket: IBucket;
  readonly deadLetterQueue: IQueue;
}

/** The functions and the API: safe to replace at any time, holds no data. */
export class StatelessStack extends Stack {
  readonly gatewayFunction: LookoutFunction;
  readonly queryApiFunction: LookoutFunction;
  readonly gatewayApi: GatewayApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    const runtimeConfigJson = JSON.stringify(runtimeConfigFrom(config));

    this.gatewayFunction = new LookoutFunction(this, 'GatewayFunction', {
      entry: 'lambdas/handlers/gateway.ts',
      description: 'Lookout gateway: authenticates, forwards to the provider, streams back, logs',
      logRetentionDays: config.logRetentionDays,
      // A streamed completion may run as long as API Gateway keeps the stream open.
      timeout: streamingIntegrationTimeout,
      // Memory buys CPU and network throughput for TLS and large streamed bodies.
      memorySize: 1024,
      environment: {
        LOOKOUT_KEYS_TABLE: props.keysTable.tableName,
        LOOKOUT_REQUEST_LOG_TABLE: props.requestLogTable.tableName,
        LOOKOUT_BODIES_BUCKET: props.bodiesBucket.bucketName,
        LOOKOUT_DEAD_LETTER_QUEUE_URL: props.deadLetterQueue.queueUrl,
        LOOKOUT_RUNTIME_CONFIG: runtimeConfigJson,
      },
    });
    props.keysTable.grantReadData(this.gatewayFunction);
    // Log items are only ever created (conditional put by request id), never changed or deleted.
    props.requestLogTable.grant(this.gatewayFunction, 'dynamodb:PutItem');
    props.bodiesBucket.grantPut(this.gatewayFunction);
    props.deadLetterQueue.grantSendMessages(this.gatewayFunction);

    this.queryApiFunction = new LookoutFunction(this, 'QueryApiFunction', {
      entry: 'lambdas/handlers/query-api.ts',
      description: 'Lookout query API: requests, users, sessions, metrics, keys',
      logRetentionDays: config.logRetentionDays,
      // API Gateway gives a buffered integration 29 s; working longer would be wasted.
      timeout: Duration.seconds(29),
      environment: {
        LOOKOUT_KEYS_TABLE: props.keysTable.tableName,
        LOOKOUT_REQUEST_LOG_TABLE: props.requestLogTable.tableName,
        LOOKOUT_BODIES_BUCKET: props.bodiesBucket.bucketName,
        LOOKOUT_RUNTIME_CONFIG: runtimeConfigJson,
      },
    });
    props.keysTable.grantReadData(this.queryApiFunction);
    props.requestLogTable.grantReadData(this.queryApiFunction);
    props.bodiesBucket.grantRead(this.queryApiFunction);

    const providerNames = Object.keys(config.providers);
    this.gatewayApi = new GatewayApi(this, 'GatewayApi', {
      gatewayFunction: this.gatewayFunction,
      queryApiFunction: this.queryApiFunction,
      providerNames,
      stageName: config.stageName,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.gatewayApi.api.url });
    for (const name of providerNames) {
      // The Anthropic SDK appends /v1 itself; OpenAI-style SDKs expect it in the base URL.
      const sdkPath = name === 'anthropic' ? `/${name}` : `/${name}/v1`;
      new CfnOutput(this, providerBaseUrlOutputId(name), {
        description: `Base URL for the ${name} SDK`,
        value: this.gatewayApi.urlForPath(sdkPath),
      });
    }
  }
}

/** `openai` → `OpenaiBaseUrl`, `my-llm` → `MyLlmBaseUrl` (output ids are alphanumeric). */
export function providerBaseUrlOutputId(providerName: string): string {
  const pascal = providerName
    .split('-')
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return `${pascal}BaseUrl`;
}
