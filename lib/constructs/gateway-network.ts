import { GatewayVpcEndpointAwsService, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { valkeyNetworkAvailabilityZones } from '../../lambdas/contract/lookout-config.js';

export interface GatewayNetworkProps {
  /** One is cheapest; one per zone keeps the gateway reaching the providers through a zone's outage. */
  readonly natGateways: number;
}

/**
 * The VPC the gateway runs in with the Valkey backend (ElastiCache Serverless is reachable only
 * inside a VPC). The gateway and the cache sit in the private subnets; the gateway reaches the
 * providers (and SQS) through the NAT gateways of the public subnets, and DynamoDB and S3, which
 * every request writes its log to, through gateway endpoints, which are free and spare the NAT's
 * per-GB charge.
 */
export class GatewayNetwork extends Construct {
  readonly vpc: Vpc;

  constructor(scope: Construct, id: string, props: GatewayNetworkProps) {
    super(scope, id);
    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: valkeyNetworkAvailabilityZones,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'Public', subnetType: SubnetType.PUBLIC },
        { name: 'Private', subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      ],
      gatewayEndpoints: {
        DynamoDb: { service: GatewayVpcEndpointAwsService.DYNAMODB },
        S3: { service: GatewayVpcEndpointAwsService.S3 },
      },
      // Nothing uses the default security group; emptied, it lets nothing through by mistake.
      restrictDefaultSecurityGroup: true,
    });
  }
}
