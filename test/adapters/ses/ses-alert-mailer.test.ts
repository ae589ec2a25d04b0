/**
 * The alert mailer against the SES emulator (aws-ses-v2-local, started on a free port): the
 * real SDK client sends SES v2 SendEmail to it (`LOOKOUT_SES_ENDPOINT`), and the e-mail is read
 * back from the emulator's `GET /store`.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { alertChannelsFromEnv, type AlertChannelAdapters } from '../../../lambdas/adapters/alert-channels-from-env.js';
import { SesAlertMailer } from '../../../lambdas/adapters/ses/ses-alert-mailer.js';
import type { AlertMailer } from '../../../lambdas/core/ports/alert-channels.js';
import { SesLocal } from '../../../lambdas/local/ses-local.js';

const FROM = 'Lookout <alerts@lookout.example.com>';

describe('SesAlertMailer against aws-ses-v2-local', () => {
  let ses: SesLocal;
  let channels: AlertChannelAdapters;
  let mailer: AlertMailer;

  before(async () => {
    ses = await SesLocal.start();
    channels = alertChannelsFromEnv({
      LOOKOUT_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1',
      LOOKOUT_SES_ENDPOINT: ses.endpoint,
      LOOKOUT_ALERT_EMAIL_FROM: FROM,
    });
    assert.ok(channels.mailer, 'a from address in the environment gives a mailer');
    mailer = channels.mailer;
  });
  beforeEach(() => ses.clear());
  after(async () => {
    channels.destroy();
    await ses.stop();
  });

  it('sends one e-mail from the configured identity to every recipient, with the subject, the text and the HTML part', async () => {
    await mailer.send({
      to: ['oncall@example.com', 'lead@example.com'],
      subject: '[Lookout] High error rate: triggered',
      text: 'Error rate 12.5 % over 10 min (threshold 5 %).',
      html: '<p>Error rate <strong>12.5 %</strong> over 10 min (threshold 5 %).</p>',
    });

    const emails = await ses.emails();
    assert.equal(emails.length, 1);
    const [email] = emails;
    assert.equal(email!.from, FROM);
    assert.deepEqual(email!.destination, { to: ['oncall@example.com', 'lead@example.com'], cc: [], bcc: [] });
    assert.equal(email!.subject, '[Lookout] High error rate: triggered');
    assert.equal(email!.body.text, 'Error rate 12.5 % over 10 min (threshold 5 %).');
    assert.equal(email!.body.html, '<p>Error rate <strong>12.5 %</strong> over 10 min (threshold 5 %).</p>');
  });

  it('keeps non-ASCII text in the subject and both parts', async () => {
    await mailer.send({
      to: ['équipe@example.com'],
      subject: 'Coût élevé — “α” 🚨',
      text: 'Coût: 12,50 $',
      html: '<p>Coût: 12,50&nbsp;$ — “α”</p>',
    });

    const [email] = await ses.emails();
    assert.equal(email!.subject, 'Coût élevé — “α” 🚨');
    assert.equal(email!.body.text, 'Coût: 12,50 $');
    assert.equal(email!.body.html, '<p>Coût: 12,50&nbsp;$ — “α”</p>');
  });

  it('refuses an e-mail to nobody without sending anything', async () => {
    await assert.rejects(mailer.send({ to: [], subject: 's', text: 't', html: '<p>t</p>' }), /at least one recipient/);
    assert.deepEqual(await ses.emails(), []);
  });

  it('rejects when SES refuses the e-mail', async () => {
    const client = new SESv2Client({
      endpoint: ses.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      // The emulator, like SES, refuses a SendEmail with no sender.
      await assert.rejects(
        new SesAlertMailer(client, '').send({ to: ['oncall@example.com'], subject: 's', text: 't', html: '<p>t</p>' }),
        (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode === 400,
      );
    } finally {
      client.destroy();
    }
    assert.deepEqual(await ses.emails(), []);
  });
});
