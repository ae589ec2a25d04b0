/**
 * Which alert channels an environment configures, and where the secrets come from: the values
 * themselves under `npm start` (recognised by `LOOKOUT_DYNAMODB_ENDPOINT`), Secrets Manager in
 * AWS. The AWS case is run against the loopback GetSecretValue stand-in, the SDK aimed at it by
 * its own `AWS_ENDPOINT_URL_SECRETS_MANAGER` (Lookout has no variable for it: in AWS the
 * endpoint is the region's). Each channel's delivery has its own test beside its adapter.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { alertChannelsFromEnv } from '../../lambdas/adapters/alert-channels-from-env.js';
import { SecretsManagerSecretReader } from '../../lambdas/adapters/secrets/secrets-manager-secret-reader.js';
import { SesAlertMailer } from '../../lambdas/adapters/ses/ses-alert-mailer.js';
import { SnsAlertTopic } from '../../lambdas/adapters/sns/sns-alert-topic.js';
import { FetchWebhookPoster } from '../../lambdas/adapters/webhook/fetch-webhook-poster.js';
import { stopRecordingServers } from './aws-http/signature-checking-server.js';
import { STAND_IN_CREDENTIALS, startSecretsManagerStandIn } from './secrets/secrets-manager-stand-in.js';

const LOCAL = { LOOKOUT_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' };
const SLACK_URL = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

describe('alertChannelsFromEnv', () => {
  it('gives no topic, mailer or secrets when their variables are absent, and always a webhook poster', () => {
    const channels = alertChannelsFromEnv(LOCAL);
    try {
      assert.equal(channels.topic, undefined);
      assert.equal(channels.mailer, undefined);
      assert.equal(channels.secrets, undefined);
      assert.equal(channels.defaultSlackWebhookUrl, undefined);
      assert.equal(channels.webhookSigningKey, undefined);
      assert.ok(channels.webhooks instanceof FetchWebhookPoster);
    } finally {
      channels.destroy();
    }
  });

  it('gives a topic for a topic ARN and a mailer for a from address', () => {
    const channels = alertChannelsFromEnv({
      ...LOCAL,
      LOOKOUT_ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:lookout-alerts',
      LOOKOUT_ALERT_EMAIL_FROM: 'alerts@example.com',
    });
    try {
      assert.ok(channels.topic instanceof SnsAlertTopic);
      assert.ok(channels.mailer instanceof SesAlertMailer);
    } finally {
      channels.destroy();
    }
  });

  it('under npm start, takes the default Slack webhook’s URL and the signing key from the environment itself', async () => {
    const channels = alertChannelsFromEnv({
      ...LOCAL,
      LOOKOUT_SLACK_WEBHOOK_URL: SLACK_URL,
      LOOKOUT_WEBHOOK_SIGNING_SECRET: 'local-signing-key',
    });
    try {
      assert.equal(channels.secrets, undefined);
      assert.equal(await channels.defaultSlackWebhookUrl?.(), SLACK_URL);
      assert.equal(await channels.webhookSigningKey?.(), 'local-signing-key');
    } finally {
      channels.destroy();
    }
  });

  describe('in AWS (no local endpoint)', () => {
    let standIn: Awaited<ReturnType<typeof startSecretsManagerStandIn>>;
    // The SDK reads its region, credentials and endpoint override from the process's environment, as in Lambda.
    const saved = { ...process.env };

    before(async () => {
      standIn = await startSecretsManagerStandIn();
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.endpoint,
        AWS_REGION: standIn.region,
        AWS_ACCESS_KEY_ID: STAND_IN_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: STAND_IN_CREDENTIALS.secretAccessKey,
      });
      delete process.env.AWS_SESSION_TOKEN;
      delete process.env.AWS_PROFILE;
    });
    after(async () => {
      process.env = saved;
      await stopRecordingServers();
    });

    it('reads the default Slack webhook and the signing key from the Secrets Manager secrets the environment names', async () => {
      standIn.put('lookout/slack-webhook', { string: SLACK_URL });
      standIn.put('lookout/webhook-signing-key', { string: 'aws-signing-key' });
      const channels = alertChannelsFromEnv({
        LOOKOUT_SLACK_WEBHOOK_SECRET: standIn.arnOf('lookout/slack-webhook'),
        LOOKOUT_WEBHOOK_SIGNING_SECRET: 'lookout/webhook-signing-key',
      });
      try {
        assert.ok(channels.secrets instanceof SecretsManagerSecretReader);
        assert.equal(await channels.defaultSlackWebhookUrl?.(), SLACK_URL);
        assert.equal(await channels.webhookSigningKey?.(), 'aws-signing-key');
        assert.deepEqual(
          standIn.received.map((request) => JSON.parse(request.body.toString()).SecretId),
          [standIn.arnOf('lookout/slack-webhook'), 'lookout/webhook-signing-key'],
        );
      } finally {
        channels.destroy();
      }
    });

    it('has no default Slack webhook when no secret is named', () => {
      const channels = alertChannelsFromEnv({});
      try {
        assert.ok(channels.secrets, 'a rule may still name a Slack secret of its own');
        assert.equal(channels.defaultSlackWebhookUrl, undefined);
        assert.equal(channels.webhookSigningKey, undefined);
      } finally {
        channels.destroy();
      }
    });
  });
});
