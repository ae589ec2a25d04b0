import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlertTable } from '../adapters/dynamodb/alert-table.js';
import { RollupTable } from '../adapters/dynamodb/rollup-table.js';
import { alertChannelsFromEnv, type AlertChannelAdapters } from '../adapters/alert-channels-from-env.js';
import { AlertEvaluator, type AlertEvaluatorLogger } from '../app/alerts/alert-evaluator.js';
import { ChannelDelivery, DEFAULT_RETRY_DELAYS_MS } from '../app/alerts/channel-delivery.js';
import { configAlertRules, indexedPropertiesOf, type AlertRule } from '../contract/alert-rule.js';
import { EnvironmentVariable } from '../contract/environment-variables.js';
import type { RuntimeConfig } from '../contract/runtime-config-schema.js';
import { alertRequestsUrl } from '../core/alerts/alert-requests-link.js';
import type { AlertRuleStore } from '../core/ports/alert-store.js';
import { requireEnv } from '../core/runtime-config.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Every rule: the config's (read-only) and those made through the API. */
export function allAlertRules(config: RuntimeConfig, store: AlertRuleStore): () => Promise<AlertRule[]> {
  const fromConfig = configAlertRules(config.alerts);
  return async () => [...fromConfig, ...(await store.list())];
}

/**
 * The delivery of notifications over the channels the environment sets up. The evaluator retries
 * a failing channel; an API call (a test notification) does not, to answer within API Gateway's
 * 29 seconds.
 */
export function channelDeliveryOf(
  channels: AlertChannelAdapters,
  retryDelaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS,
): ChannelDelivery {
  return new ChannelDelivery({
    topic: channels.topic ?? null,
    mailer: channels.mailer ?? null,
    poster: channels.webhooks,
    secrets: channels.secrets ?? null,
    defaultSlackWebhook: async () => (channels.defaultSlackWebhookUrl ? channels.defaultSlackWebhookUrl() : null),
    webhookSigningKey: async () => {
      if (!channels.webhookSigningKey) throw new Error('no webhook signing key is set up (LOOKOUT_WEBHOOK_SIGNING_SECRET)');
      return channels.webhookSigningKey();
    },
    retryDelaysMs,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
  });
}

/** The public URL links in notifications start with (the stack's API URL in AWS, the local URL under `npm start`). */
export function publicUrlOf(env: Env): string {
  return requireEnv(env, EnvironmentVariable.publicUrl).replace(/\/+$/, '');
}

/** The evaluator over the deployment's rollups, alerts table and channels. */
export function alertEvaluatorFromEnv(
  env: Env,
  config: RuntimeConfig,
  documents: DynamoDBDocumentClient,
  logger: AlertEvaluatorLogger,
): { evaluator: AlertEvaluator; channels: AlertChannelAdapters } {
  const alerts = new AlertTable(documents, requireEnv(env, EnvironmentVariable.alertsTable));
  const channels = alertChannelsFromEnv(env);
  const publicUrl = publicUrlOf(env);
  const evaluator = new AlertEvaluator({
    rules: allAlertRules(config, alerts),
    states: alerts,
    rollups: new RollupTable(documents, requireEnv(env, EnvironmentVariable.rollupsTable), config.rollupRetentionDays),
    retention: config.rollupRetentionDays,
    indexedProperties: async () => indexedPropertiesOf(config, await alerts.list()),
    delivery: channelDeliveryOf(channels),
    requestsUrl: (rule, group, reading) =>
      alertRequestsUrl(publicUrl, {
        metric: rule.metric,
        filter: rule.filter,
        group,
        fromMs: reading.window.fromMs,
        toMs: reading.window.toMs,
      }),
    now: Date.now,
    logger,
  });
  return { evaluator, channels };
}
