/**
 * The deployment's alerts topic: one SNS Publish per notification, through the SDK (the alert
 * evaluator and the query API's test notification are off the request path, so the gateway's
 * lean client is not needed here, and this module must never be imported by the gateway).
 *
 * The client is built with one attempt per call (`SINGLE_ATTEMPT`, in
 * `alert-channels-from-env.ts`): the evaluator retries a channel with its own backoff, and a
 * Publish retried in two layers would multiply into attempts nobody decided on.
 *
 * SNS refuses a subject with a line break or a control character, or of 100 characters or more,
 * and e-mail subscriptions are known to refuse non-ASCII ones; a rule's name is free text, so the
 * subject is made to fit (`snsSubject`) rather than losing the alert. The message keeps every
 * character. Attributes are String attributes, for subscription filter policies; SNS refuses an
 * empty attribute value, so an empty one is left out (a filter on it would match nothing anyway).
 */
import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertTopic } from '../../core/ports/alert-channels.js';

/** SNS's limit: a subject must be "less than 100 characters long". */
export const SNS_SUBJECT_MAX_CHARS = 99;

export class SnsAlertTopic implements AlertTopic {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(message: { subject: string; text: string; attributes: Readonly<Record<string, string>> }): Promise<void> {
    const subject = snsSubject(message.subject);
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(message.attributes)) {
      if (value !== '') attributes[name] = { DataType: 'String', StringValue: value };
    }
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: message.text,
        ...(subject ? { Subject: subject } : {}),
        ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
      }),
    );
  }
}

/**
 * A subject SNS accepts: accents dropped and other non-ASCII characters as `?`, line breaks and
 * control characters as spaces (runs of them as one), at most 99 characters (cut with `...`).
 * Empty when nothing printable is left, and then the Publish goes without a subject.
 */
export function snsSubject(subject: string): string {
  const ascii = subject
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/gu, (character) => (/[\s\p{Cc}]/u.test(character) ? ' ' : '?'))
    .replace(/ {2,}/g, ' ')
    .trim();
  return ascii.length <= SNS_SUBJECT_MAX_CHARS ? ascii : `${ascii.slice(0, SNS_SUBJECT_MAX_CHARS - 3).trimEnd()}...`;
}
