import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertEmail, escapeHtml } from '../../../lambdas/core/alerts/alert-email.js';
import { alertPlainText, alertTitle } from '../../../lambdas/core/alerts/alert-text.js';
import { costNotification, errorRateNotification } from './guide-notifications.js';

const HOSTILE = '<script>alert("x")</script> & | \'quoted\'';

describe('alertEmail', () => {
  it('uses the title as the subject and the plain body as the text part', () => {
    const email = alertEmail(costNotification());
    assert.equal(email.subject, alertTitle(costNotification()));
    assert.equal(
      email.subject,
      '[warning] Production Cost Spike triggered: cost $104.20 is above $100.00 over 1 day (12,408 requests), environment = production',
    );
    assert.equal(email.text, alertPlainText(costNotification()));
  });

  it('puts the facts, the contributors and the link in the HTML part', () => {
    const { html } = alertEmail(errorRateNotification());
    for (const piece of [
      'error rate 7.1% is above 5% over 10 minutes (240 requests), environment = production',
      '>above 5%<',
      '>10 minutes<',
      '>2025-06-01 14:02 UTC (18 minutes ago)<',
      '>Top users by error rate<',
      '>alice<',
      '>12.5%<',
      '>80 requests<',
      '>(no user)<',
      'href="https://lookout.example.com/dashboard/requests?property.environment=production&amp;status=error"',
      '>View the requests</a>',
    ]) {
      assert.ok(html.includes(piece), `missing ${piece}`);
    }
  });

  it('is self-contained: inline styles, no external resources, no scripts', () => {
    const { html } = alertEmail(errorRateNotification());
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.doesNotMatch(html, /<(link|img|script|style|iframe)\b/i);
    assert.doesNotMatch(html, /\bsrc=|url\(/i);
    assert.deepEqual(
      [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]),
      ['https://lookout.example.com/dashboard/requests?property.environment=production&amp;status=error'],
    );
  });

  it('escapes every user-supplied value in the HTML', () => {
    const { html, subject } = alertEmail(
      errorRateNotification({
        ruleName: `Errors ${HOSTILE}`,
        filter: { properties: { environment: HOSTILE } },
        contributors: [{ by: 'property:feature', top: [{ value: HOSTILE, metricValue: 9, requests: 12 }] }],
        requestsUrl: 'https://lookout.example.com/dashboard/requests?x="><script>',
      }),
    );
    assert.doesNotMatch(html, /<script/i);
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; | &#39;quoted&#39;'));
    assert.ok(html.includes('href="https://lookout.example.com/dashboard/requests?x=&quot;&gt;&lt;script&gt;"'));
    assert.doesNotMatch(subject, /[\r\n]/);
    assert.equal(escapeHtml(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });
});
