import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertSlackMessage } from '../../lambdas/core/alerts/alert-slack.js';
import { printableSlackMessage } from '../../lambdas/demo/slack-printer.js';
import { errorRateNotification } from '../core/alerts/guide-notifications.js';

test('a Slack notification prints as it reads in Slack: headline, facts, contributors and the link, unescaped', () => {
  const notification = errorRateNotification({
    contributors: [{ by: 'property:feature', top: [{ value: 'R&D <beta>', metricValue: 40, requests: 10 }] }],
  });
  const message = alertSlackMessage(notification);
  const printed = printableSlackMessage(JSON.stringify(message), message);
  const lines = printed.split('\n');
  assert.equal(lines[1], 'Slack notification: [critical] Production Error Rate triggered');
  assert.ok(lines.includes('  Threshold: above 5%'), printed);
  assert.ok(
    lines.some((line) => line.startsWith('  • R&D <beta>: 40%')),
    printed,
  );
  assert.ok(lines.includes(`View the requests: ${notification.requestsUrl}`), printed);
  assert.ok(!printed.includes('&amp;') && !printed.includes('*'), printed);
});

test('a body that is not a Block Kit message is printed as it came', () => {
  const printed = printableSlackMessage('plain words', undefined);
  assert.ok(printed.includes('plain words'));
});
