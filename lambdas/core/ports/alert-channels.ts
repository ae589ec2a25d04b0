/**
 * Where notifications go. Each channel is a port of its own, so the evaluator can retry one and
 * go on with the others; every method throws when the message was not accepted.
 */

/** The deployment's alerts topic (SNS). */
export interface AlertTopic {
  publish(message: { subject: string; text: string; attributes: Readonly<Record<string, string>> }): Promise<void>;
}

/** E-mail (SES), from the configured identity. */
export interface AlertMailer {
  send(email: { to: readonly string[]; subject: string; text: string; html: string }): Promise<void>;
}

/** An HTTP POST of JSON: a Slack incoming webhook, or a rule's signed webhook. */
export interface WebhookPoster {
  post(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<void>;
}

/** A secret's value by name (Secrets Manager in AWS): a Slack webhook URL, the webhook signing key. */
export interface SecretReader {
  read(name: string): Promise<string>;
}
