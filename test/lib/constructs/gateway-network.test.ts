/** The Valkey backend's VPC: its subnets, its NAT gateways and its free gateway endpoints, each on its own. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GatewayNetwork } from '../../../lib/constructs/gateway-network.js';

function networkTemplate(natGateways: number): Template {
  const stack = new Stack(new App(), 'Test');
  new GatewayNetwork(stack, 'Network', { natGateways });
  return Template.fromStack(stack);
}

const template = networkTemplate(1);

/** The subnets whose MapPublicIpOnLaunch is `public`. */
function subnetCount(template: Template, isPublic: boolean): number {
  return Object.values(template.findResources('AWS::EC2::Subnet')).filter((subnet) => subnet.Properties.MapPublicIpOnLaunch === isPublic)
    .length;
}

describe('GatewayNetwork', () => {
  it('is one VPC over two availability zones, with a public and a private subnet in each', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    assert.equal(subnetCount(template, true), 2);
    assert.equal(subnetCount(template, false), 2);
  });

  it('has as many NAT gateways as asked for', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    networkTemplate(2).resourceCountIs('AWS::EC2::NatGateway', 2);
  });

  it('routes every private subnet to the internet through a NAT gateway', () => {
    const routes = Object.values(template.findResources('AWS::EC2::Route')).filter((route) => route.Properties.NatGatewayId);
    assert.equal(routes.length, 2);
    for (const route of routes) assert.equal(route.Properties.DestinationCidrBlock, '0.0.0.0/0');
  });

  it('reaches DynamoDB and S3 through free gateway endpoints, off the NAT', () => {
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    for (const service of ['dynamodb', 's3']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] },
        RouteTableIds: Match.anyValue(),
      });
    }
  });

  it('empties the default security group, which nothing uses', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });
});
