import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  alertWebhookBody,
  alertWebhookRequest,
  verifyWebhookSignature,
  webhookSignature,
} from '../../../lambdas/core/alerts/alert-webhook.js';
import { errorRateNotification } from './guide-notifications.js';

const SECRET = 'whsec_test_4f1a';
const NOW = 1_748_787_600;

describe('alertWebhookBody', () => {
  it('is the notification in a version 1 lookout.alert envelope', () => {
    const notification = errorRateNotification();
    const body = JSON.parse(alertWebhookBody(notification));
    assert.deepEqual(body, { type: 'lookout.alert', version: 1, ...notification });
    assert.deepEqual(Object.keys(body).slice(0, 2), ['type', 'version']);
  });
});

describe('the webhook signature', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    const { body, headers } = alertWebhookRequest(errorRateNotification(), SECRET, NOW);
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${body}`).digest('hex');
    assert.equal(headers['Lookout-Signature'], `t=${NOW},v1=${expected}`);
    assert.equal(headers['Content-Type'], 'application/json');
  });

  it('verifies for the body and secret it was made with, within the tolerance', () => {
    const { body, headers } = alertWebhookRequest(errorRateNotification(), SECRET, NOW);
    const header = headers['Lookout-Signature'] ?? '';
    assert.equal(verifyWebhookSignature(header, body, SECRET, NOW), true);
    assert.equal(verifyWebhookSignature(header, body, SECRET, NOW + 300), true);
    assert.equal(verifyWebhookSignature(header, body, SECRET, NOW - 300), true);
  });

  it('fails for a changed body, a wrong secret, and a timestamp outside the tolerance', () => {
    const { body, headers } = alertWebhookRequest(errorRateNotification(), SECRET, NOW);
    const header = headers['Lookout-Signature'] ?? '';
    assert.equal(verifyWebhookSignature(header, body.replace('"critical"', '"info"'), SECRET, NOW), false);
    assert.equal(verifyWebhookSignature(header, `${body} `, SECRET, NOW), false);
    assert.equal(verifyWebhookSignature(header, body, 'whsec_other', NOW), false);
    assert.equal(verifyWebhookSignature(header, body, SECRET, NOW + 301), false);
    assert.equal(verifyWebhookSignature(header, body, SECRET, NOW - 301), false);
    assert.equal(verifyWebhookSignature(header, body, SECRET, NOW + 3_600, 7_200), true);
  });

  it('fails when the timestamp in the header is changed, since it is signed too', () => {
    const body = alertWebhookBody(errorRateNotification());
    const forged = webhookSignature(body, SECRET, NOW).replace(`t=${NOW}`, `t=${NOW + 60}`);
    assert.equal(verifyWebhookSignature(forged, body, SECRET, NOW + 60), false);
  });

  it('accepts any of several v1 signatures (a secret being rotated) and ignores other parts', () => {
    const body = alertWebhookBody(errorRateNotification());
    const valid = webhookSignature(body, SECRET, NOW).split(',v1=')[1];
    assert.equal(verifyWebhookSignature(`t=${NOW},v1=${'0'.repeat(64)},v0=abc,v1=${valid}`, body, SECRET, NOW), true);
  });

  it('fails for malformed headers', () => {
    const body = alertWebhookBody(errorRateNotification());
    const valid = webhookSignature(body, SECRET, NOW);
    for (const header of [
      '',
      'garbage',
      `v1=${valid.split(',v1=')[1]}`,
      `t=${NOW}`,
      `t=${NOW},v1=abc`,
      `t=${NOW},v1=${'z'.repeat(64)}`,
      `t=soon,${valid.split(',')[1]}`,
      `${valid},t=${NOW}`,
    ]) {
      assert.equal(verifyWebhookSignature(header, body, SECRET, NOW), false, header);
    }
  });
});
