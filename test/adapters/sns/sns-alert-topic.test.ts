/**
 * The alerts topic's adapter, with the real SDK client. SNS itself is not run: it has no local
 * server, so the client is pointed (`LOOKOUT_SNS_ENDPOINT`) at a loopback capture
 * (`test/support/sns-capture.ts`) that decodes the SDK's real Publish request (the query
 * protocol's form), checks what SNS checks of it, and answers a PublishResponse.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { alertChannelsFromEnv, type AlertChannelAdapters } from '../../../lambdas/adapters/alert-channels-from-env.js';
import { snsSubject } from '../../../lambdas/adapters/sns/sns-alert-topic.js';
import type { AlertTopic } from '../../../lambdas/core/ports/alert-channels.js';
import { SnsCapture } from '../../support/sns-capture.js';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:lookout-alerts';

describe('SnsAlertTopic against a loopback capture of the SDK’s Publish (not SNS)', () => {
  let capture: SnsCapture;
  let channels: AlertChannelAdapters;
  let topic: AlertTopic;

  before(async () => {
    capture = await SnsCapture.start({ topicArns: [TOPIC_ARN] });
    channels = alertChannelsFromEnv({
      LOOKOUT_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1',
      LOOKOUT_SNS_ENDPOINT: capture.endpoint,
      LOOKOUT_ALERT_TOPIC_ARN: TOPIC_ARN,
    });
    assert.ok(channels.topic, 'a topic ARN in the environment gives a topic');
    topic = channels.topic;
  });
  beforeEach(() => capture.reset());
  after(async () => {
    channels.destroy();
    await capture.stop();
  });

  it('publishes the subject, the message and the attributes as String attributes to the configured topic', async () => {
    await topic.publish({
      subject: '[Lookout] High error rate: triggered',
      text: 'Error rate 12.5 % over 10 min (threshold 5 %).\nSee https://lookout.example.com/requests?status=error',
      attributes: { ruleId: 'config:high-error-rate', kind: 'triggered', severity: 'critical' },
    });

    assert.equal(capture.published.length, 1);
    const [published] = capture.published;
    assert.equal(published!.topicArn, TOPIC_ARN);
    assert.equal(published!.subject, '[Lookout] High error rate: triggered');
    assert.equal(
      published!.message,
      'Error rate 12.5 % over 10 min (threshold 5 %).\nSee https://lookout.example.com/requests?status=error',
    );
    assert.deepEqual(published!.attributes, {
      ruleId: { dataType: 'String', stringValue: 'config:high-error-rate' },
      kind: { dataType: 'String', stringValue: 'triggered' },
      severity: { dataType: 'String', stringValue: 'critical' },
    });
    assert.equal(published!.parameters.Action, 'Publish');
  });

  it('keeps every character of the message, and makes a free-text subject one SNS accepts', async () => {
    const ruleName = `Coût élevé\nfor team “α” ${'x'.repeat(120)}`;
    await topic.publish({ subject: ruleName, text: 'Coût: 12,50 $ — “α” 🚨', attributes: {} });

    const [published] = capture.published;
    assert.equal(published!.message, 'Coût: 12,50 $ — “α” 🚨');
    assert.equal(published!.subject, snsSubject(ruleName));
    assert.match(published!.subject!, /^Cout eleve for team \?\?\? x+\.\.\.$/);
    assert.equal(published!.subject!.length, 99);
    assert.deepEqual(published!.attributes, {});
  });

  it('leaves out an empty attribute, which SNS would refuse, and sends the others', async () => {
    await topic.publish({ subject: 'Resolved', text: 'ok again', attributes: { ruleId: 'r-1', group: '' } });

    assert.deepEqual(capture.published[0]!.attributes, { ruleId: { dataType: 'String', stringValue: 'r-1' } });
  });

  it('publishes without a subject when nothing printable is left of it', async () => {
    await topic.publish({ subject: ' \n\t ', text: 'body', attributes: {} });

    assert.equal(capture.published[0]!.subject, undefined);
  });

  it('rejects with SNS’s error when the Publish is refused, after a single attempt (the evaluator retries)', async () => {
    capture.failNext({ status: 500, code: 'InternalFailure', message: 'try again' });

    await assert.rejects(
      topic.publish({ subject: 's', text: 't', attributes: {} }),
      (error: Error) => error.name === 'InternalFailure' && /try again/.test(error.message),
    );
    assert.equal(capture.requests.length, 1);
    assert.equal(capture.published.length, 0);
  });

  it('rejects when the topic does not exist', async () => {
    const elsewhere = alertChannelsFromEnv({
      LOOKOUT_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1',
      LOOKOUT_SNS_ENDPOINT: capture.endpoint,
      LOOKOUT_ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:deleted',
    });
    try {
      await assert.rejects(elsewhere.topic!.publish({ subject: 's', text: 't', attributes: {} }), { name: 'NotFoundException' });
    } finally {
      elsewhere.destroy();
    }
  });
});

describe('snsSubject', () => {
  it('leaves a plain ASCII subject as it is', () => {
    assert.equal(snsSubject('[Lookout] p95 latency > 2000 ms (triggered)'), '[Lookout] p95 latency > 2000 ms (triggered)');
  });

  it('turns line breaks and control characters into single spaces, and trims', () => {
    assert.equal(snsSubject('  one\r\ntwo\tthree\u0007four  '), 'one two three four');
  });

  it('drops accents and writes other non-ASCII characters as ?', () => {
    assert.equal(snsSubject('Équipe café 日本'), 'Equipe cafe ??');
  });

  it('cuts a long subject to 99 characters, ending in ...', () => {
    const subject = snsSubject('y'.repeat(150));
    assert.equal(subject.length, 99);
    assert.ok(subject.endsWith('y...'));
    assert.equal(snsSubject('z'.repeat(99)), 'z'.repeat(99));
  });
});
