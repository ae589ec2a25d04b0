import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertSnsMessage, snsSubject } from '../../../lambdas/core/alerts/alert-sns.js';
import { alertPlainText } from '../../../lambdas/core/alerts/alert-text.js';
import { costNotification, errorRateNotification, latencyNotification } from './guide-notifications.js';

// What SNS refuses in a subject: line breaks and control characters.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

describe('alertSnsMessage', () => {
  it('carries the plain body and the attributes subscriptions filter on', () => {
    const message = alertSnsMessage(errorRateNotification());
    assert.equal(message.text, alertPlainText(errorRateNotification()));
    assert.deepEqual(message.attributes, { severity: 'critical', rule: 'config:Production Error Rate', kind: 'triggered' });
    assert.equal(alertSnsMessage(costNotification({ kind: 'resolved' })).attributes.kind, 'resolved');
  });

  it('keeps what broke in the subject of the guide alerts', () => {
    assert.equal(
      alertSnsMessage(errorRateNotification()).subject,
      '[critical] Production Error Rate triggered: error rate 7.1% is above 5% over 10 minutes',
    );
    assert.equal(
      alertSnsMessage(costNotification()).subject,
      '[warning] Production Cost Spike triggered: cost $104.20 is above $100.00 over 1 day',
    );
    assert.equal(
      alertSnsMessage(latencyNotification()).subject,
      '[warning] High Latency triggered: p95 latency 10,250 ms is above 10,000 ms over 30 minutes',
    );
    const short = alertSnsMessage(latencyNotification({ ruleName: 'Slow', filter: {} })).subject;
    assert.equal(short, '[warning] Slow triggered: p95 latency 10,250 ms is above 10,000 ms over 30 minutes (512 requests)');
  });

  it('cuts the subject under 100 characters with an ellipsis, even for a very long rule name', () => {
    const subject = alertSnsMessage(errorRateNotification({ ruleName: 'A very long rule name '.repeat(6).trim() })).subject;
    assert.ok(subject.length < 100, `${subject.length} characters`);
    assert.ok(subject.endsWith('…'));
    assert.ok(subject.startsWith('[critical] A very long rule name'));
    assert.doesNotMatch(subject, CONTROL);
  });

  it('has no control characters or line breaks, whatever the values hold', () => {
    const subject = alertSnsMessage(
      errorRateNotification({ ruleName: 'Tab\there', group: { by: 'property:feature', value: 'line\nbreak\r\u0007bell\u2028sep' } }),
    ).subject;
    assert.doesNotMatch(subject, CONTROL);
    assert.ok(subject.length < 100);
    assert.equal(snsSubject('a\nb'), 'a b');
    const emoji = snsSubject('😀'.repeat(80));
    assert.ok(emoji.length < 100 && emoji.endsWith('…'));
    assert.doesNotMatch(emoji, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, 'a split surrogate pair');
  });
});
