/**
 * Alert e-mail through SES v2 SendEmail, from the deployment's verified identity
 * (`LOOKOUT_ALERT_EMAIL_FROM`), through the SDK: the alert evaluator and the query API's test
 * notification are off the request path, and this module must never be imported by the gateway.
 *
 * Each e-mail is one `Simple` message with both a text and an HTML part, so a client that shows
 * no HTML still reads the alert; SES builds the MIME message and encodes the subject and the
 * parts (UTF-8), which a hand-built raw message would have to get right itself. All recipients
 * go in one message's To (SES takes up to 50): they are the rule's on-call list, who may see each
 * other, and one send is one outcome for the evaluator to retry.
 *
 * The client makes one attempt per call (`SINGLE_ATTEMPT`, in `alert-channels-from-env.ts`): the
 * evaluator retries a channel with its own backoff.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { AlertMailer } from '../../core/ports/alert-channels.js';

const CHARSET = 'UTF-8';

export class SesAlertMailer implements AlertMailer {
  /** `from`: an address or `Name <address>` of an identity SES has verified. */
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
  ) {}

  async send(email: { to: readonly string[]; subject: string; text: string; html: string }): Promise<void> {
    if (email.to.length === 0) throw new Error('An alert e-mail needs at least one recipient');
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [...email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: CHARSET },
            Body: { Text: { Data: email.text, Charset: CHARSET }, Html: { Data: email.html, Charset: CHARSET } },
          },
        },
      }),
    );
  }
}
