/**
 * The alert channels' adapters a function's environment configures, for the alert evaluator and
 * the query API's test notification (never the gateway: these are SDK clients).
 *
 * A channel whose variables are absent is absent here too, so the caller can say which one is
 * not configured: no `LOOKOUT_ALERT_TOPIC_ARN`, no topic; no `LOOKOUT_ALERT_EMAIL_FROM`, no
 * mailer. The webhook poster needs nothing (a webhook's URL comes with its rule).
 *
 * Secrets: in AWS they are in Secrets Manager, and `LOOKOUT_SLACK_WEBHOOK_SECRET` and
 * `LOOKOUT_WEBHOOK_SIGNING_SECRET` name them. `npm start` has no Secrets Manager, so there the
 * environment carries the values themselves (`LOOKOUT_SLACK_WEBHOOK_URL`, and the signing key in
 * `LOOKOUT_WEBHOOK_SIGNING_SECRET`), and `secrets` is absent. The local stack is told apart from
 * AWS as the other adapters tell it, by its local endpoint: `LOOKOUT_DYNAMODB_ENDPOINT` is set
 * under `npm start` (every function there reads DynamoDB Local) and never in AWS.
 *
 * Every SDK client makes one attempt per call (`SINGLE_ATTEMPT`): the evaluator retries each
 * channel with its own backoff. Each has a connection and a request timeout, so a call that hangs
 * fails in bounded time and that retry decides. `LOOKOUT_SES_ENDPOINT` and `LOOKOUT_SNS_ENDPOINT`
 * point the SES and SNS clients at local servers, with dummy credentials, as
 * `dynamodb/document-client.ts` does for DynamoDB Local.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { EnvironmentVariable } from '../contract/environment-variables.js';
import type { AlertMailer, AlertTopic, SecretReader, WebhookPoster } from '../core/ports/alert-channels.js';
import { SINGLE_ATTEMPT } from './sdk-retry-options.js';
import { SecretsManagerSecretReader } from './secrets/secrets-manager-secret-reader.js';
import { SesAlertMailer } from './ses/ses-alert-mailer.js';
import { SnsAlertTopic } from './sns/sns-alert-topic.js';
import { FetchWebhookPoster } from './webhook/fetch-webhook-poster.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The longest an SDK call of a channel may take, and its connection phase. */
export const ALERT_SDK_REQUEST_TIMEOUT_MS = 10_000;
export const ALERT_SDK_CONNECTION_TIMEOUT_MS = 3_000;

export interface AlertChannelAdapters {
  /** SNS, when `LOOKOUT_ALERT_TOPIC_ARN` is set. */
  topic?: AlertTopic;
  /** SES, when `LOOKOUT_ALERT_EMAIL_FROM` is set. */
  mailer?: AlertMailer;
  /** Slack incoming webhooks and rules' signed webhooks. */
  webhooks: WebhookPoster;
  /** Secrets Manager, in AWS (a rule's `slack` may name a secret); absent under `npm start`. */
  secrets?: SecretReader;
  /** The default Slack webhook's URL (a rule's `slack: true`), when one is configured. */
  defaultSlackWebhookUrl?: () => Promise<string>;
  /** The key rules' webhooks are signed with, when one is configured. */
  webhookSigningKey?: () => Promise<string>;
  /** Lets go of the SDK clients' sockets (the local stack and tests call it as they stop). */
  destroy(): void;
}

/** The alert channels the environment configures (see the module comment for which variables). */
export function alertChannelsFromEnv(env: Env): AlertChannelAdapters {
  const clients: { destroy(): void }[] = [];
  const made = <T extends { destroy(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };
  const local = Boolean(env[EnvironmentVariable.dynamodbEndpoint]);

  const topicArn = env[EnvironmentVariable.alertTopicArn];
  const from = env[EnvironmentVariable.alertEmailFrom];
  const secrets = local ? undefined : new SecretsManagerSecretReader(made(new SecretsManagerClient(sdkClientConfig(env, undefined))));

  const slackUrl = env[EnvironmentVariable.slackWebhookUrl];
  const slackSecret = env[EnvironmentVariable.slackWebhookSecret];
  const signingSecret = env[EnvironmentVariable.webhookSigningSecret];

  return {
    ...(topicArn ? { topic: new SnsAlertTopic(made(new SNSClient(sdkClientConfig(env, EnvironmentVariable.snsEndpoint))), topicArn) } : {}),
    ...(from ? { mailer: new SesAlertMailer(made(new SESv2Client(sdkClientConfig(env, EnvironmentVariable.sesEndpoint))), from) } : {}),
    webhooks: new FetchWebhookPoster(),
    ...(secrets ? { secrets } : {}),
    ...(slackUrl
      ? { defaultSlackWebhookUrl: async () => slackUrl }
      : slackSecret && secrets
        ? { defaultSlackWebhookUrl: () => secrets.read(slackSecret) }
        : {}),
    ...(signingSecret ? { webhookSigningKey: secrets ? () => secrets.read(signingSecret) : async () => signingSecret } : {}),
    destroy: () => {
      for (const client of clients) client.destroy();
    },
  };
}

/** One attempt, bounded in time; at a local endpoint, with the local region and dummy credentials. */
function sdkClientConfig(env: Env, endpointVariable: string | undefined) {
  const endpoint = endpointVariable ? env[endpointVariable] : undefined;
  return {
    ...(endpoint ? { endpoint, region: env.AWS_REGION ?? 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: SINGLE_ATTEMPT.maxAttempts,
    requestHandler: {
      connectionTimeout: ALERT_SDK_CONNECTION_TIMEOUT_MS,
      requestTimeout: ALERT_SDK_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  };
}
