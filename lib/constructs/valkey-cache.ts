import { Names } from 'aws-cdk-lib';
import { type IVpc, SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { LookoutConfig } from '../../lambdas/contract/lookout-config.js';
import { BindableValkeyCache } from './bindable-resources.js';
import { lookoutServerlessCache } from './data-resources.js';

export interface ValkeyCacheProps {
  readonly vpc: IVpc;
  readonly limits: LookoutConfig['valkeyLimits'];
}

/**
 * The response cache on ElastiCache Serverless for Valkey (`cacheBackend: 'valkey'`), in the VPC's
 * private subnets behind its own security group, which lets in only the functions bound to it.
 * Serverless caches always encrypt in transit (TLS only) and at rest.
 */
export class ValkeyCache extends Construct {
  readonly cache: BindableValkeyCache;

  constructor(scope: Construct, id: string, props: ValkeyCacheProps) {
    super(scope, id);
    // The cache opens no connections of its own.
    const securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Lookout response cache: Valkey from the functions bound to it only',
      allowAllOutbound: false,
    });
    const cache = lookoutServerlessCache(this, 'Cache', {
      // Unique in the account and region, and stable, since a new name replaces the cache; the
      // name may hold lower-case letters and digits, up to 40.
      serverlessCacheName: Names.uniqueResourceName(this, { maxLength: 40 }).toLowerCase(),
      description: 'Lookout response cache',
      subnetIds: props.vpc.selectSubnets({ subnetType: SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
      securityGroupIds: [securityGroup.securityGroupId],
      cacheUsageLimits: {
        dataStorage: { maximum: props.limits.maxDataStorageGb, unit: 'GB' },
        ecpuPerSecond: { maximum: props.limits.maxEcpuPerSecond },
      },
    });
    this.cache = new BindableValkeyCache(cache, securityGroup);
  }
}
