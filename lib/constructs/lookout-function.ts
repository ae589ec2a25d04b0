import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IVpc, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Bindable } from './bindable-resources.js';

/** The repository root: handler entries and the lock file are resolved from here, not the cwd. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

// esbuild's ESM output has no `require`; CommonJS dependencies bundled into it still call it.
const esmRequireBanner =
  "import { createRequire as lookoutCreateRequire } from 'node:module'; const require = lookoutCreateRequire(import.meta.url);";

export interface LookoutFunctionProps {
  /** The handler file relative to the repository root, e.g. `lambdas/handlers/gateway.ts`. */
  readonly entry: string;
  /** The exported handler name. @default 'handler' */
  readonly handler?: string;
  readonly description?: string;
  /** Retention of the function's log group; one of the values CloudWatch Logs accepts. */
  readonly logRetentionDays: number;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * The VPC to run in, for a function that reaches a resource only a VPC holds (the Valkey cache).
   * @default none: the function reaches AWS and the internet directly
   */
  readonly vpc?: IVpc;
  /**
   * Shell commands run after esbuild, in the repository root, that add files to the function's
   * asset (`outputDir`): the query API's dashboard. @default none
   */
  readonly afterBundling?: (outputDir: string) => string[];
}

/**
 * A Lambda function with the house defaults: Node.js 22 on ARM64, an ESM bundle built by the local
 * esbuild with the AWS SDK v3 bundled in (tree-shaken, no dependence on the runtime's copy),
 * source-mapped stack traces, X-Ray tracing, JSON logs and its own log group with a retention.
 */
export class LookoutFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: LookoutFunctionProps) {
    // Created before the function (a sibling, since `this` does not exist yet) so that Lambda
    // never auto-creates a never-expiring /aws/lambda/<name> group on first invocation.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      entry: `${repoRoot}${props.entry}`,
      handler: props.handler ?? 'handler',
      description: props.description,
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      vpc: props.vpc,
      // Lambda gives a function's network interfaces no public address, so only a private subnet
      // with a NAT route reaches the internet. The function gets its own security group.
      vpcSubnets: props.vpc ? { subnetType: SubnetType.PRIVATE_WITH_EGRESS } : undefined,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: esmRequireBanner,
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        // Stack traces only need the mappings; leaving the sources out keeps the asset small.
        sourcesContent: false,
        bundleAwsSDK: true,
        externalModules: [],
        ...(props.afterBundling && {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_inputDir: string, outputDir: string) => props.afterBundling!(outputDir),
          },
        }),
      },
    });
  }

  /**
   * Gives the function `resource`: the environment variables it finds it by, and `access` to it.
   * Returns the function, so a function's resources read as one list.
   */
  bind<Access extends string>(resource: Bindable<Access>, access: NoInfer<Access>): this {
    for (const [name, value] of Object.entries(resource.environment)) this.addEnvironment(name, value);
    resource.grant(this, access);
    return this;
  }
}
