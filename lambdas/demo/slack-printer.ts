/**
 * How `npm run demo` shows a Slack notification in the terminal: the message Lookout posted to the
 * (loopback) incoming webhook, read back as a person would read it in Slack: the header, the
 * summary, the facts, the top contributors, the "View the requests" link and the context line.
 * Slack's escapes (`&amp;`, `&lt;`, `&gt;`) are undone and `*bold*` markers dropped; a body that
 * is not a Block Kit message is printed as it came.
 */
import type { SlackBlock, SlackMessage } from '../core/alerts/alert-slack.js';

const RULE = '─'.repeat(72);

/** The lines a terminal shows for one webhook body. */
export function printableSlackMessage(body: string, json: unknown): string {
  if (!isSlackMessage(json)) return [RULE, 'Slack webhook received (not a Block Kit message):', body, RULE].join('\n');
  // The header says what `text` (the fallback) says, without repeating the condition the summary gives.
  const header = json.blocks.find((block) => block.type === 'header');
  const lines = [RULE, `Slack notification: ${plain(header ? header.text.text : json.text)}`];
  for (const block of json.blocks) lines.push(...blockLines(block));
  lines.push(RULE);
  return lines.join('\n');
}

function blockLines(block: SlackBlock): string[] {
  switch (block.type) {
    case 'header':
      return [];
    case 'section': {
      const lines: string[] = [];
      if (block.text)
        lines.push(
          ...plain(block.text.text)
            .split('\n')
            .map((line) => (line.startsWith('• ') ? `  ${line}` : line)),
        );
      for (const field of block.fields ?? []) {
        const [label, ...value] = plain(field.text).split('\n');
        lines.push(`  ${label}: ${value.join(' ')}`);
      }
      return lines;
    }
    case 'actions':
      return block.elements.map((button) => `${plain(button.text.text)}: ${button.url}`);
    case 'context':
      return block.elements.map((element) => plain(element.text));
  }
}

/** Slack's mrkdwn as plain text: entities decoded, `*bold*` markers dropped. */
function plain(text: string): string {
  return text
    .replace(/\*([^*\n]+)\*/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function isSlackMessage(json: unknown): json is SlackMessage {
  const candidate = json as Partial<SlackMessage> | null;
  return typeof candidate?.text === 'string' && Array.isArray(candidate.blocks);
}
