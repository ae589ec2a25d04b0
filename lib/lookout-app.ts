import { CrossStackReferences, ReferenceStrength, Tags, type App } from 'aws-cdk-lib';
import type { LookoutConfig } from '../lambdas/contract/lookout-config.js';
import { StatefulStack } from './stacks/stateful-stack.js';
import { StatelessStack } from './stacks/stateless-stack.js';

export interface LookoutStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * Adds Lookout's stacks to an app. Environment-agnostic on purpose: no account or region lookups,
 * so `cdk synth` works offline and `cdk deploy` targets whatever the caller's credentials name.
 */
export function addLookoutStacks(app: App, config: LookoutConfig): LookoutStacks {
  // Exports keep the data stack from being deleted while the API still points at it. Removing a
  // reference later needs a two-step deploy (keep the export with `stateful.exportValue` first).
  CrossStackReferences.of(app).consume(ReferenceStrength.STRONG);
  const stateful = new StatefulStack(app, 'LookoutStateful', {
    config,
    description:
      'Lookout data: gateway keys, request log, bodies bucket, dead-letter queue, quotas, usage rollups, alerts, response cache and quota counters (and their VPC with Valkey)',
  });
  const stateless = new StatelessStack(app, 'LookoutStateless', {
    config,
    description: 'Lookout functions, API and alert schedule',
    keysTable: stateful.keysTable,
    requestLogTable: stateful.requestLogTable,
    bodiesBucket: stateful.bodiesBucket,
    deadLetterQueue: stateful.deadLetterQueue,
    responseCache: stateful.responseCache,
    quotasTable: stateful.quotasTable,
    quotaCounters: stateful.quotaCounters,
    rollupsTable: stateful.rollupsTable,
    alertsTable: stateful.alertsTable,
    alertTopic: stateful.alertTopic,
    slackWebhookSecret: stateful.slackWebhookSecret,
    webhookSigningSecret: stateful.webhookSigningSecret,
    gatewayVpc: stateful.gatewayVpc,
  });
  Tags.of(app).add('app', 'lookout');
  return { stateful, stateless };
}
