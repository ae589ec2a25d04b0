import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertSlackMessage, escapeSlack, escapeSlackWithin, type SlackBlock } from '../../../lambdas/core/alerts/alert-slack.js';
import { costNotification, errorRateNotification, latencyNotification } from './guide-notifications.js';

const HOSTILE = '<script>alert(1)</script> & | <!channel> <https://evil.example|click>';

function texts(blocks: readonly SlackBlock[]): string[] {
  return blocks.flatMap((block) => {
    if (block.type === 'header') return [block.text.text];
    if (block.type === 'section') return [...(block.text ? [block.text.text] : []), ...(block.fields ?? []).map((field) => field.text)];
    if (block.type === 'context') return block.elements.map((element) => element.text);
    return block.elements.map((element) => element.text.text);
  });
}

describe('alertSlackMessage', () => {
  it('falls back to a text that names the rule and says triggered or resolved', () => {
    assert.equal(
      alertSlackMessage(errorRateNotification()).text,
      '[critical] Production Error Rate triggered: error rate 7.1% is above 5% over 10 minutes (240 requests), environment = production',
    );
    assert.match(
      alertSlackMessage(errorRateNotification({ kind: 'resolved', value: 1 })).text,
      /^\[critical\] Production Error Rate resolved: /,
    );
  });

  it('heads the message and lays the facts out as fields', () => {
    const { blocks } = alertSlackMessage(latencyNotification());
    assert.deepEqual(blocks[0], { type: 'header', text: { type: 'plain_text', text: '[warning] High Latency triggered' } });
    const fields = blocks.find((block) => block.type === 'section' && block.fields !== undefined);
    assert.ok(fields?.type === 'section');
    assert.deepEqual(
      fields.fields?.map((field) => field.text),
      [
        '*Severity*\nwarning',
        '*Value*\np95 latency 10,250 ms',
        '*Threshold*\nabove 10,000 ms',
        '*Window*\n30 minutes',
        '*Requests*\n512',
        '*Filter*\nenvironment = production',
        '*Since*\n2025-06-01 14:10 UTC (10 minutes ago)',
      ],
    );
  });

  it('has a section per contributor dimension', () => {
    const all = texts(alertSlackMessage(costNotification()).blocks);
    assert.ok(all.includes('*Top users by cost*\n• u-big-spender: $61.50 (2,100 requests)\n• u-2: $12.04 (900 requests)'));
    assert.ok(all.includes('*Top models by cost*\n• gpt-4o: $98.10 (8,000 requests)'));
  });

  it('has a button to the requests', () => {
    const { blocks } = alertSlackMessage(errorRateNotification());
    const actions = blocks.find((block) => block.type === 'actions');
    assert.ok(actions?.type === 'actions');
    assert.deepEqual(actions.elements[0], {
      type: 'button',
      text: { type: 'plain_text', text: 'View the requests' },
      url: 'https://lookout.example.com/dashboard/requests?property.environment=production&status=error',
    });
  });

  it('escapes &, < and > in every user-supplied value, so no link or mention can be made', () => {
    const message = alertSlackMessage(
      errorRateNotification({
        ruleName: `Errors ${HOSTILE}`,
        filter: { properties: { environment: HOSTILE } },
        group: { by: 'property:feature', value: HOSTILE },
        contributors: [{ by: 'property:feature', top: [{ value: HOSTILE, metricValue: 9, requests: 12 }] }],
      }),
    );
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt; &amp; | &lt;!channel&gt; &lt;https://evil.example|click&gt;';
    for (const text of [message.text, ...texts(message.blocks)]) {
      assert.ok(!/[<>]/.test(text), `unescaped < or > in ${text}`);
      assert.ok(!/&(?!amp;|lt;|gt;)/.test(text), `unescaped & in ${text}`);
    }
    assert.ok(message.text.includes(escaped));
    assert.ok(texts(message.blocks).some((text) => text === `*Filter*\nenvironment = ${escaped}`));
    assert.ok(texts(message.blocks).some((text) => text.includes(`• ${escaped}: 9% (12 requests)`)));
  });

  it('keeps every text within Slack’s limits, cutting outside entities', () => {
    const long = '&'.repeat(1_000);
    const message = alertSlackMessage(
      errorRateNotification({
        ruleName: 'R'.repeat(128),
        filter: { properties: { a: long, b: long } },
        contributors: [{ by: 'user', top: Array.from({ length: 5 }, () => ({ value: long, metricValue: 1, requests: 1 })) }],
      }),
    );
    const header = message.blocks[0];
    assert.ok(header?.type === 'header' && header.text.text.length <= 150);
    for (const block of message.blocks) {
      if (block.type === 'section') {
        assert.ok((block.text?.text.length ?? 0) <= 3_000);
        for (const field of block.fields ?? []) assert.ok(field.text.length <= 2_000, `field of ${field.text.length}`);
        assert.ok((block.fields?.length ?? 0) <= 10);
      }
    }
    assert.ok(message.blocks.length <= 50);
    assert.equal(escapeSlackWithin('a&b', 7), 'a&amp;b');
    assert.equal(escapeSlackWithin('a&b', 6), 'a…');
    assert.equal(escapeSlack('x & <y>'), 'x &amp; &lt;y&gt;');
  });
});
