import { isAlertTargetUrl, type AlertRule } from '../../contract/alert-rule.js';
import { alertEmail } from '../../core/alerts/alert-email.js';
import type { AlertNotification } from '../../core/alerts/alert-notification.js';
import { alertSlackMessage } from '../../core/alerts/alert-slack.js';
import { alertSnsMessage } from '../../core/alerts/alert-sns.js';
import { alertWebhookRequest } from '../../core/alerts/alert-webhook.js';
import type { AlertMailer, AlertTopic, SecretReader, WebhookPoster } from '../../core/ports/alert-channels.js';
import type { AlertHistoryEntry } from '../../core/ports/alert-store.js';
import type { AlertDelivery } from './alert-evaluator.js';

type Channel = Extract<AlertHistoryEntry, { type: 'delivery' }>['channel'];
type DeliveryEntry = Extract<AlertHistoryEntry, { type: 'delivery' }>;

export interface ChannelDeliveryOptions {
  /** The alerts topic; null where there is none to publish to (SNS under `npm start`): what it would get is recorded. */
  topic: AlertTopic | null;
  /** Null without a sender identity: e-mail channels then fail, saying so. */
  mailer: AlertMailer | null;
  poster: WebhookPoster;
  /** Reads Slack webhook secrets by name (AWS); null where there are none (`npm start`). */
  secrets: SecretReader | null;
  /** The default Slack webhook (`slack: true`), or null when none is set up. */
  defaultSlackWebhook(): Promise<string | null>;
  webhookSigningKey(): Promise<string>;
  /** Pauses before each retry; their count is the retries. */
  retryDelaysMs: readonly number[];
  sleep(ms: number): Promise<void>;
  now(): number;
}

/** The retries a failing channel gets: a Slack or SES hiccup passes in seconds, and the next evaluation is a minute away. */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 4_000];

/**
 * Sends a notification to each of a rule's channels at once, each with its own retries, so a
 * failing channel never holds back or blocks the others; every channel's outcome goes into the
 * rule's history.
 */
export class ChannelDelivery implements AlertDelivery {
  constructor(private readonly options: ChannelDeliveryOptions) {}

  async deliver(rule: AlertRule, notification: AlertNotification): Promise<AlertHistoryEntry[]> {
    const { channels } = rule;
    const sends: [Channel, () => Promise<Partial<DeliveryEntry> | void>][] = [];
    if (channels.sns) sends.push(['sns', () => this.publish(notification)]);
    if (channels.email) sends.push(['email', () => this.email(channels.email!, notification)]);
    if (channels.slack) sends.push(['slack', () => this.slack(channels.slack!, notification)]);
    if (channels.webhook) sends.push(['webhook', () => this.webhook(channels.webhook!, notification)]);
    return Promise.all(sends.map(([channel, send]) => this.withRetries(channel, notification, send)));
  }

  private async withRetries(
    channel: Channel,
    notification: AlertNotification,
    send: () => Promise<Partial<DeliveryEntry> | void>,
  ): Promise<DeliveryEntry> {
    const base = { type: 'delivery' as const, group: notification.group?.value ?? null, kind: notification.kind, channel };
    let attempts = 0;
    for (;;) {
      attempts += 1;
      try {
        const extra = await send();
        return { ...base, atMs: this.options.now(), outcome: 'delivered', attempts, ...extra };
      } catch (error) {
        const delay = this.options.retryDelaysMs[attempts - 1];
        if (delay === undefined || error instanceof ChannelSetupError) {
          return { ...base, atMs: this.options.now(), outcome: 'failed', attempts, error: (error as Error).message };
        }
        await this.options.sleep(delay);
      }
    }
  }

  private async publish(notification: AlertNotification): Promise<Partial<DeliveryEntry> | void> {
    const message = alertSnsMessage(notification);
    if (!this.options.topic) {
      return { outcome: 'recorded', message: `${message.subject}\n\n${message.text}` };
    }
    await this.options.topic.publish(message);
  }

  private async email(to: readonly string[], notification: AlertNotification): Promise<void> {
    if (!this.options.mailer) {
      throw new ChannelSetupError(
        'no e-mail sender is set up (alertEmailFrom in lookout.config.ts, LOOKOUT_ALERT_EMAIL_FROM under npm start)',
      );
    }
    await this.options.mailer.send({ to, ...alertEmail(notification) });
  }

  private async slack(target: true | string, notification: AlertNotification): Promise<void> {
    const url = await this.slackUrl(target);
    await this.options.poster.post(url, JSON.stringify(alertSlackMessage(notification)), { 'content-type': 'application/json' });
  }

  private async slackUrl(target: true | string): Promise<string> {
    if (target === true) {
      const url = await this.options.defaultSlackWebhook();
      if (!url) {
        throw new ChannelSetupError(
          "no default Slack webhook is set up (the stack's Slack secret in AWS, LOOKOUT_SLACK_WEBHOOK_URL under npm start)",
        );
      }
      return url;
    }
    if (isAlertTargetUrl(target)) return target;
    if (!this.options.secrets)
      throw new ChannelSetupError(`Slack secret "${target}" cannot be read here: give a webhook URL under npm start`);
    return this.options.secrets.read(target);
  }

  private async webhook(url: string, notification: AlertNotification): Promise<void> {
    const request = alertWebhookRequest(notification, await this.options.webhookSigningKey(), Math.floor(this.options.now() / 1000));
    await this.options.poster.post(url, request.body, request.headers);
  }
}

/** A channel that cannot work as set up: retrying will not help, so it fails at once. */
class ChannelSetupError extends Error {
  override readonly name = 'ChannelSetupError';
}
