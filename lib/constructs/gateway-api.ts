import { Aws, Duration } from 'aws-cdk-lib';
import { EndpointType, LambdaIntegration, ResponseTransferMode, RestApi, type IResource } from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { gatewayMaxDurationMs } from '../../lambdas/contract/lookout-config.js';
import { GENERIC_ROUTE_SEGMENT, QUERY_API_ROUTES } from '../../lambdas/contract/routes.js';

/** API Gateway lets a streamed response run this long (and Lambda stops at the same limit). */
export const streamingIntegrationTimeout = Duration.millis(gatewayMaxDurationMs);

export interface GatewayApiProps {
  /** The streaming gateway handler. */
  readonly gatewayFunction: IFunction;
  /** The query API handler (`/v1`, `/v1/*`, `/healthz`). */
  readonly queryApiFunction: IFunction;
  /** Every configured provider name; each gets `/<name>/{proxy+}`. */
  readonly providerNames: readonly string[];
  readonly stageName: string;
}

/**
 * The public REST API. Gateway routes stream the Lambda's response as it is produced (so tokens
 * reach the client as the provider sends them); the query API is an ordinary buffered proxy.
 */
export class GatewayApi extends Construct {
  readonly api: RestApi;
  private readonly stageName: string;

  constructor(scope: Construct, id: string, props: GatewayApiProps) {
    super(scope, id);
    this.stageName = props.stageName;

    this.api = new RestApi(this, 'Api', {
      restApiName: 'lookout',
      description: 'Lookout LLM gateway and query API',
      // Edge-optimized endpoints cut a stream after 30 s of silence, regional ones after 5 minutes:
      // a reasoning model can think longer than 30 s before its first token.
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // Request bodies are passed through as bytes (audio uploads, images); the handler decodes
      // base64 bodies. Streamed responses are bytes regardless of this setting.
      binaryMediaTypes: ['*/*'],
      // The account-wide CloudWatch role is a per-region singleton; owning it here would clash
      // with any other stack in the account that also creates it.
      cloudWatchRole: false,
      deployOptions: { stageName: props.stageName },
    });
    // RestApi adds an `Endpoint` output with a generated name; the stack outputs `ApiUrl` instead.
    this.api.node.tryRemoveChild('Endpoint');

    const gatewayIntegration = new LambdaIntegration(props.gatewayFunction, {
      responseTransferMode: ResponseTransferMode.STREAM,
      timeout: streamingIntegrationTimeout,
      // One API-wide invoke permission instead of two per method keeps the resource policy small.
      scopePermissionToMethod: false,
    });
    const queryApiIntegration = new LambdaIntegration(props.queryApiFunction, {
      scopePermissionToMethod: false,
    });

    const root = this.api.root;
    for (const name of [...props.providerNames, GENERIC_ROUTE_SEGMENT]) {
      addGreedyRoute(root.addResource(name), gatewayIntegration);
    }
    // Unknown paths still reach the gateway so they get its JSON 404 rather than API Gateway's.
    root.addMethod('ANY', gatewayIntegration);
    addGreedyRoute(root, gatewayIntegration);

    for (const { segment, withSubpaths } of QUERY_API_ROUTES) {
      const resource = root.addResource(segment);
      resource.addMethod('ANY', queryApiIntegration);
      if (withSubpaths) addGreedyRoute(resource, queryApiIntegration);
    }
  }

  /**
   * The stage's URL (`https://<id>.execute-api.<region>.<suffix>/<stage>/`), as `api.url` is, but
   * made from the API's id and the stage's name rather than the stage resource: a function the API
   * integrates may have it in its environment (the links in notifications), which would otherwise
   * make a cycle (the function, the stage, its deployment, the methods, the function).
   */
  get stageUrl(): string {
    return `https://${this.api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.stageName}/`;
  }

  /** The deployed URL of a path on the stage, e.g. `urlForPath('/openai/v1')`. */
  urlForPath(path: string): string {
    return this.api.urlForPath(path);
  }
}

function addGreedyRoute(parent: IResource, integration: LambdaIntegration): void {
  parent.addResource('{proxy+}').addMethod('ANY', integration);
}
