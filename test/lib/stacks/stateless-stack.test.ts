import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseRuntimeConfig } from '../../../lambdas/core/runtime-config.js';
import { parseLookoutConfig } from '../../../lambdas/contract/lookout-config.js';
import { addLookoutStacks } from '../../../lib/lookout-app.js';

// Bundling both functions with esbuild is the slow part: build the app once for the whole file.
const config = parseLookoutConfig({
  providers: { groq: { baseUrl: 'https://api.groq.com/openai' } },
  targetUrlAllowlist: ['https://llm.internal.example.com'],
  logRetentionDays: 14,
  stageName: 'live',
});
const app = new App();
const { stateless } = addLookoutStacks(app, config);
const template = Template.fromStack(stateless);
const assembly = app.synth();

const GATEWAY_BUNDLE_MAX_BYTES = 400_000;

type Resource = { Type: string; Properties: Record<string, any> };
const resources = template.toJSON().Resources as Record<string, Resource>;

function functionIdByHandlerFile(description: RegExp): string {
  const match = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, fn]) =>
    description.test(fn.Properties.Description ?? ''),
  );
  assert.ok(match, `no function described by ${description}`);
  return match[0];
}
const gatewayFunctionId = functionIdByHandlerFile(/gateway/i);
const queryApiFunctionId = functionIdByHandlerFile(/query API/i);
const aggregatorFunctionId = functionIdByHandlerFile(/rollup aggregator/i);
const evaluatorFunctionId = functionIdByHandlerFile(/alert evaluator/i);

/** Where a function's code is staged in the cloud assembly: `asset.<hash>`, the hash that names its zip. */
function assetDirOf(functionId: string): string {
  const hash = String(resources[functionId]!.Properties.Code.S3Key).replace(/\.zip$/, '');
  return join(assembly.directory, `asset.${hash}`);
}

/** Maps each API method to its full path (`/openai/{proxy+}`), following the resource parents. */
function methodsByPath(): Map<string, Resource[]> {
  const pathOf = (resourceId: unknown): string => {
    if (typeof resourceId === 'object' && resourceId !== null && 'Fn::GetAtt' in resourceId) return '';
    const id = (resourceId as { Ref: string }).Ref;
    const resource = resources[id];
    assert.ok(resource, `unknown API resource ${id}`);
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  const byPath = new Map<string, Resource[]>();
  for (const method of Object.values(template.findResources('AWS::ApiGateway::Method')) as Resource[]) {
    const path = pathOf(method.Properties.ResourceId) || '/';
    byPath.set(path, [...(byPath.get(path) ?? []), method]);
  }
  return byPath;
}
const methods = methodsByPath();

function integrationTarget(method: Resource): string {
  return JSON.stringify(method.Properties.Integration.Uri).includes(gatewayFunctionId) ? 'gateway' : 'query-api';
}

/** Every policy statement attached to a function's execution role. */
function statementsOf(functionId: string): { Action: string | string[]; Resource: unknown }[] {
  const roleId = resources[functionId]!.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}
function actionsOn(functionId: string, resourceName: RegExp): string[] {
  return statementsOf(functionId)
    .filter((statement) => resourceName.test(JSON.stringify(statement.Resource)))
    .flatMap((statement) => [statement.Action].flat());
}

describe('stateless stack: API', () => {
  it('streams every gateway route from the gateway Lambda with a 15-minute integration timeout', () => {
    for (const path of ['/openai/{proxy+}', '/anthropic/{proxy+}', '/groq/{proxy+}', '/gateway/{proxy+}', '/{proxy+}', '/']) {
      const [method, ...others] = methods.get(path) ?? [];
      assert.ok(method, `no method on ${path}`);
      assert.equal(others.length, 0, path);
      assert.equal(method.Properties.HttpMethod, 'ANY', path);
      assert.equal(integrationTarget(method), 'gateway', path);
      const integration = method.Properties.Integration;
      assert.equal(integration.Type, 'AWS_PROXY', path);
      assert.equal(integration.ResponseTransferMode, 'STREAM', path);
      assert.equal(integration.TimeoutInMillis, 15 * 60 * 1000, path);
      // Streaming needs Lambda's response-streaming invoke API, not the buffered one.
      assert.match(JSON.stringify(integration.Uri), /\/2021-11-15\/functions\/.*\/response-streaming-invocations/, path);
    }
  });

  it('serves /v1/* and /healthz from the query API Lambda, buffered', () => {
    for (const path of ['/v1/{proxy+}', '/healthz']) {
      const [method] = methods.get(path) ?? [];
      assert.ok(method, `no method on ${path}`);
      assert.equal(integrationTarget(method), 'query-api', path);
      assert.equal(method.Properties.Integration.Type, 'AWS_PROXY', path);
      assert.notEqual(method.Properties.Integration.ResponseTransferMode, 'STREAM', path);
    }
  });

  it('serves bare /v1 from the query API too, as the local stack does', () => {
    const [method, ...others] = methods.get('/v1') ?? [];
    assert.ok(method, 'no method on /v1');
    assert.equal(others.length, 0);
    assert.equal(integrationTarget(method), 'query-api');
  });

  it('uses a regional endpoint (edge-optimized cuts streams after 30 s idle) on the configured stage', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      BinaryMediaTypes: ['*/*'],
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'live' });
  });

  it('outputs the API URL and an SDK base URL per provider', () => {
    template.hasOutput('ApiUrl', {});
    const endsWith = (suffix: string) => ({
      Value: { 'Fn::Join': ['', Match.arrayWith([suffix])] },
    });
    template.hasOutput('OpenaiBaseUrl', endsWith('/openai/v1'));
    template.hasOutput('AnthropicBaseUrl', endsWith('/anthropic'));
    template.hasOutput('GroqBaseUrl', endsWith('/groq/v1'));
    // RestApi's own generated endpoint output is replaced by ApiUrl.
    assert.deepEqual(
      Object.keys(template.findOutputs('*')).filter((id) => id.includes('Endpoint')),
      [],
    );
  });
});

describe('stateless stack: functions', () => {
  it('runs every function on Node.js 22, ARM64, from an ESM bundle with source maps', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    assert.equal(functions.length, 4, 'the gateway, the query API, the rollup aggregator and the alert evaluator');
    for (const fn of functions) {
      assert.equal(fn.Properties.Runtime, 'nodejs22.x');
      assert.deepEqual(fn.Properties.Architectures, ['arm64']);
      assert.equal(fn.Properties.Handler, 'index.handler');
      assert.equal(fn.Properties.Environment.Variables.NODE_OPTIONS, '--enable-source-maps');
      assert.equal(fn.Properties.TracingConfig.Mode, 'Active');
    }
  });

  it("bundles each handler as ESM with a require shim, importing nothing from the runtime's AWS SDK", () => {
    for (const id of [gatewayFunctionId, queryApiFunctionId, aggregatorFunctionId, evaluatorFunctionId]) {
      const assetDir = assetDirOf(id);
      const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      assert.match(bundle.slice(0, 200), /createRequire/);
      assert.doesNotMatch(bundle, /from\s*["']@aws-sdk\//, 'the AWS SDK must be bundled, not imported from the runtime');
      assert.ok(existsSync(join(assetDir, 'index.mjs.map')));
    }
  });

  it('keeps the gateway bundle within its cold-start budget of 400 KB minified', () => {
    // Issue 8's budget: every KB of the bundle is parsed on each cold start of the request path.
    const bytes = statSync(join(assetDirOf(gatewayFunctionId), 'index.mjs')).size;
    assert.ok(bytes <= GATEWAY_BUNDLE_MAX_BYTES, `the gateway bundle is ${bytes} bytes, over ${GATEWAY_BUNDLE_MAX_BYTES}`);
  });

  it('gives every function its own log group with the configured retention', () => {
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
      assert.equal(resources[logGroupId]?.Type, 'AWS::Logs::LogGroup');
      assert.equal(resources[logGroupId]?.Properties.RetentionInDays, 14);
    }
  });

  it('finds the DynamoDB response cache by LOOKOUT_CACHE_TABLE, from outside any VPC', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('gateway'),
      Environment: {
        Variables: Match.objectLike({ LOOKOUT_CACHE_TABLE: { 'Fn::ImportValue': Match.stringLikeRegexp('ResponseCacheTable') } }),
      },
    });
    const variables = resources[gatewayFunctionId]!.Properties.Environment.Variables;
    assert.equal(variables.LOOKOUT_REDIS_URL, undefined);
    assert.equal(resources[gatewayFunctionId]!.Properties.VpcConfig, undefined);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
  });

  it('lets the gateway Lambda run as long as a stream may', () => {
    assert.equal(resources[gatewayFunctionId]!.Properties.Timeout, 15 * 60);
  });

  it('passes the resource names and the runtime config through the fixed environment contract', () => {
    const variables = resources[gatewayFunctionId]!.Properties.Environment.Variables;
    for (const name of ['LOOKOUT_KEYS_TABLE', 'LOOKOUT_REQUEST_LOG_TABLE', 'LOOKOUT_BODIES_BUCKET', 'LOOKOUT_DEAD_LETTER_QUEUE_URL']) {
      assert.ok(variables[name], name);
    }
    const runtime = parseRuntimeConfig({ LOOKOUT_RUNTIME_CONFIG: variables.LOOKOUT_RUNTIME_CONFIG });
    assert.equal(runtime.providers.groq?.baseUrl, 'https://api.groq.com/openai');
    assert.deepEqual(runtime.targetUrlAllowlist, ['https://llm.internal.example.com']);

    const queryVariables = resources[queryApiFunctionId]!.Properties.Environment.Variables;
    for (const name of ['LOOKOUT_KEYS_TABLE', 'LOOKOUT_REQUEST_LOG_TABLE', 'LOOKOUT_BODIES_BUCKET', 'LOOKOUT_RUNTIME_CONFIG']) {
      assert.ok(queryVariables[name], name);
    }
  });

  it('names the quotas table and the quota counters table to both functions', () => {
    for (const id of [gatewayFunctionId, queryApiFunctionId]) {
      const variables = resources[id]!.Properties.Environment.Variables;
      assert.match(JSON.stringify(variables.LOOKOUT_QUOTAS_TABLE), /"Fn::ImportValue":"[^"]*QuotasTable/);
      assert.match(JSON.stringify(variables.LOOKOUT_QUOTA_COUNTERS_TABLE), /"Fn::ImportValue":"[^"]*QuotaCountersTable/);
    }
  });
});

describe('stateless stack: least privilege', () => {
  const writes = /^(dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)|s3:(PutObject|DeleteObject)|sqs:SendMessage)/;

  it('lets the gateway read keys, write the request log and bodies, and dead-letter failed writes', () => {
    const onRequestLog = actionsOn(gatewayFunctionId, /RequestLogTable/);
    assert.deepEqual(onRequestLog, ['dynamodb:PutItem'], 'the gateway only adds log items');
    assert.ok(!onRequestLog.some((action) => /Scan|Query/.test(action)), 'the gateway does not read the log');
    const onKeys = actionsOn(gatewayFunctionId, /KeysTable/);
    assert.ok(onKeys.includes('dynamodb:GetItem'));
    assert.deepEqual(
      onKeys.filter((action) => writes.test(action)),
      [],
      'the gateway cannot change keys',
    );
    assert.ok(actionsOn(gatewayFunctionId, /BodiesBucket/).includes('s3:PutObject'));
    assert.ok(actionsOn(gatewayFunctionId, /DeadLetterQueue/).includes('sqs:SendMessage'));
  });

  it('lets the gateway look cache entries up and store them, and nothing more', () => {
    assert.deepEqual(actionsOn(gatewayFunctionId, /ResponseCacheTable/).sort(), [
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    ]);
  });

  it("lets the gateway get and put the cache's large entries, under cache/ in the bodies bucket", () => {
    const onCacheObjects = statementsOf(gatewayFunctionId)
      .filter((statement) => JSON.stringify(statement.Resource).includes('/cache/*'))
      .flatMap((statement) => [statement.Action].flat());
    assert.deepEqual(onCacheObjects, ['s3:GetObject', 's3:PutObject']);
    const reads = actionsOn(gatewayFunctionId, /BodiesBucket/).filter((action) => /^s3:(Get|List)/.test(action));
    assert.deepEqual(reads, ['s3:GetObject'], 'the gateway reads no request body, nor lists the bucket');
  });

  it('lets the gateway scan the quotas, and reserve and settle on the quota counters, and nothing more', () => {
    assert.deepEqual(actionsOn(gatewayFunctionId, /QuotasTable/), ['dynamodb:Scan']);
    assert.deepEqual(actionsOn(gatewayFunctionId, /QuotaCountersTable/).sort(), [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
  });

  it('lets the query API list, get, put and delete quotas, and read the quota counters', () => {
    assert.deepEqual(actionsOn(queryApiFunctionId, /QuotasTable/).sort(), [
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Scan',
    ]);
    assert.deepEqual(actionsOn(queryApiFunctionId, /QuotaCountersTable/), ['dynamodb:GetItem']);
  });

  it('gives the query API no access to the response cache', () => {
    assert.deepEqual(actionsOn(queryApiFunctionId, /ResponseCacheTable/), []);
    assert.equal(resources[queryApiFunctionId]!.Properties.Environment.Variables.LOOKOUT_CACHE_TABLE, undefined);
  });

  it('lets the query API read the request log, keys and bodies but write nothing except quotas and alert rules', () => {
    assert.ok(actionsOn(queryApiFunctionId, /RequestLogTable/).includes('dynamodb:Query'));
    assert.ok(actionsOn(queryApiFunctionId, /KeysTable/).includes('dynamodb:GetItem'));
    assert.ok(actionsOn(queryApiFunctionId, /BodiesBucket/).some((action) => action.startsWith('s3:GetObject')));
    const writingStatements = statementsOf(queryApiFunctionId).filter((statement) =>
      [statement.Action].flat().some((action) => writes.test(action)),
    );
    assert.deepEqual(
      writingStatements.filter((statement) => !/QuotasTable|AlertsTable/.test(JSON.stringify(statement.Resource))),
      [],
    );
    assert.deepEqual(actionsOn(queryApiFunctionId, /DeadLetterQueue/), []);
  });
});

describe('stateless stack: alerts', () => {
  const importOf = (exportName: RegExp) => ({ 'Fn::ImportValue': Match.stringLikeRegexp(exportName.source) });
  const stageUrl = {
    'Fn::Join': [
      '',
      [
        'https://',
        { Ref: Match.stringLikeRegexp('^GatewayApi') },
        '.execute-api.',
        { Ref: 'AWS::Region' },
        '.',
        { Ref: 'AWS::URLSuffix' },
        '/live/',
      ],
    ],
  };

  it('runs the alert evaluator every minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [evaluatorFunctionId, 'Arn'] } })],
    });
  });

  it("gives the evaluator and the query API the stateful stack's topic, both secrets and alerts table", () => {
    for (const id of [evaluatorFunctionId, queryApiFunctionId]) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: resources[id]!.Properties.Description,
        Environment: {
          Variables: Match.objectLike({
            LOOKOUT_ALERTS_TABLE: importOf(/AlertsTable/),
            LOOKOUT_ALERT_TOPIC_ARN: importOf(/AlertChannelsTopic/),
            LOOKOUT_SLACK_WEBHOOK_SECRET: importOf(/AlertChannelsSlackWebhookSecret/),
            LOOKOUT_WEBHOOK_SIGNING_SECRET: importOf(/AlertChannelsWebhookSigningSecret/),
          }),
        },
      });
    }
  });

  it('holds no topic, secret or table of its own: those are data', () => {
    for (const type of ['AWS::SNS::Topic', 'AWS::SNS::Subscription', 'AWS::SecretsManager::Secret', 'AWS::DynamoDB::Table']) {
      template.resourceCountIs(type, 0);
    }
  });

  it("links notifications to the API's stage URL, and outputs it as PublicUrl", () => {
    template.hasOutput('PublicUrl', { Value: stageUrl });
    for (const id of [evaluatorFunctionId, queryApiFunctionId]) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: resources[id]!.Properties.Description,
        Environment: { Variables: Match.objectLike({ LOOKOUT_PUBLIC_URL: stageUrl }) },
      });
    }
  });

  it('links to publicUrl of the config instead, when it has one', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const withPublicUrl = Template.fromStack(
      addLookoutStacks(app, parseLookoutConfig({ publicUrl: 'https://lookout.example.com/' })).stateless,
    );
    withPublicUrl.hasOutput('PublicUrl', { Value: 'https://lookout.example.com/' });
    withPublicUrl.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('alert evaluator'),
      Environment: { Variables: Match.objectLike({ LOOKOUT_PUBLIC_URL: 'https://lookout.example.com/' }) },
    });
  });

  it('gives the gateway and the aggregator no alert channel', () => {
    for (const id of [gatewayFunctionId, aggregatorFunctionId]) {
      const variables = resources[id]!.Properties.Environment.Variables;
      assert.equal(variables.LOOKOUT_ALERT_TOPIC_ARN, undefined);
      assert.equal(variables.LOOKOUT_SLACK_WEBHOOK_SECRET, undefined);
      assert.doesNotMatch(JSON.stringify(statementsOf(id)), /sns:|ses:|secretsmanager:/);
    }
  });
});

describe('stateless stack with the Valkey cache backend', () => {
  // The same handlers as above, so this app skips bundling: only the wiring differs.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const valkey = Template.fromStack(addLookoutStacks(app, parseLookoutConfig({ cacheBackend: 'valkey' })).stateless);
  const valkeyResources = valkey.toJSON().Resources as Record<string, Resource>;
  const functionId = (description: RegExp) =>
    Object.entries(valkey.findResources('AWS::Lambda::Function')).find(([, fn]) => description.test(fn.Properties.Description))?.[0] ??
    assert.fail(`no function described by ${description}`);
  const gatewayId = functionId(/gateway/i);
  const gateway = valkeyResources[gatewayId]!.Properties;
  const queryApi = valkeyResources[functionId(/query API/i)]!.Properties;
  /** The security group a function's construct made for it (`<FunctionId>SecurityGroup...`). */
  const groupOf = (fnId: string) =>
    Object.keys(valkey.findResources('AWS::EC2::SecurityGroup')).find((id) =>
      id.startsWith(`${fnId.replace(/[0-9A-F]{8}$/, '')}SecurityGroup`),
    ) ?? assert.fail(`no security group of ${fnId}`);
  const gatewayGroupId = groupOf(gatewayId);
  const queryApiGroupId = groupOf(functionId(/query API/i));
  const importOf = (exportName: RegExp) => ({ 'Fn::ImportValue': Match.stringLikeRegexp(exportName.source) });

  it("runs the gateway and the query API (for the quota counters) in the stateful stack's private subnets, each with a security group of its own", () => {
    valkey.resourceCountIs('AWS::EC2::SecurityGroup', 2);
    assert.notEqual(gatewayGroupId, queryApiGroupId);
    for (const groupId of [gatewayGroupId, queryApiGroupId]) {
      valkey.hasResourceProperties('AWS::Lambda::Function', {
        VpcConfig: {
          SubnetIds: [importOf(/GatewayNetworkVpcPrivateSubnet1Subnet/), importOf(/GatewayNetworkVpcPrivateSubnet2Subnet/)],
          SecurityGroupIds: [{ 'Fn::GetAtt': [groupId, 'GroupId'] }],
        },
      });
    }
  });

  it("lets the gateway's security group reach anywhere (the providers) and in to the cache's on 6379-6380", () => {
    valkey.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: '-1' })],
    });
    // One rule per function, though each is bound to the cache twice (the gateway as the response cache and the counters).
    valkey.resourceCountIs('AWS::EC2::SecurityGroupIngress', 2);
    for (const groupId of [gatewayGroupId, queryApiGroupId]) {
      valkey.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: importOf(/ResponseCacheSecurityGroup.*GroupId/),
        SourceSecurityGroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] },
        IpProtocol: 'tcp',
        FromPort: 6379,
        ToPort: 6380,
      });
    }
  });

  it("gives the gateway the cache's TLS endpoint in LOOKOUT_REDIS_URL and cluster mode in LOOKOUT_REDIS_CLUSTER", () => {
    valkey.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          LOOKOUT_REDIS_URL: { 'Fn::Join': ['', ['rediss://', importOf(/EndpointAddress/), ':', importOf(/EndpointPort/)]] },
          LOOKOUT_REDIS_CLUSTER: 'true',
        }),
      },
    });
    assert.equal(gateway.Environment.Variables.LOOKOUT_CACHE_TABLE, undefined);
  });

  it('gives the query API the Valkey endpoint for the quota counters, and neither function a counters table', () => {
    assert.deepEqual(queryApi.Environment.Variables.LOOKOUT_REDIS_URL, gateway.Environment.Variables.LOOKOUT_REDIS_URL);
    assert.equal(queryApi.Environment.Variables.LOOKOUT_REDIS_CLUSTER, 'true');
    for (const variables of [gateway.Environment.Variables, queryApi.Environment.Variables]) {
      assert.equal(variables.LOOKOUT_QUOTA_COUNTERS_TABLE, undefined);
      assert.match(JSON.stringify(variables.LOOKOUT_QUOTAS_TABLE), /QuotasTable/);
    }
    assert.equal(queryApi.Environment.Variables.LOOKOUT_CACHE_TABLE, undefined);
    assert.doesNotMatch(JSON.stringify(valkey.findResources('AWS::IAM::Policy')), /QuotaCountersTable/);
  });

  it('lets the gateway manage its network interfaces in the VPC', () => {
    const roleId = gateway.Role['Fn::GetAtt'][0];
    assert.match(JSON.stringify(valkeyResources[roleId]!.Properties.ManagedPolicyArns), /AWSLambdaVPCAccessExecutionRole/);
  });

  it('grants the gateway nothing on a cache table or cache objects', () => {
    const roleId = gateway.Role['Fn::GetAtt'][0];
    const statements = Object.values(valkey.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    assert.doesNotMatch(JSON.stringify(statements), /ResponseCache|\/cache\/\*/);
  });

  it('grants the query API nothing on a cache table or cache objects: it reads only the counters in the cache', () => {
    const roleId = queryApi.Role['Fn::GetAtt'][0];
    const statements = Object.values(valkey.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    assert.doesNotMatch(JSON.stringify(statements), /ResponseCache|\/cache\/\*/);
  });
});
