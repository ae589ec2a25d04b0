/**
 * A notification as a Slack incoming-webhook payload: `text` (the title, what notifications and
 * clients without blocks show) and Block Kit `blocks`: a header, the facts as fields, one
 * section per contributor dimension, a "View the requests" button, and a context line.
 *
 * Every value is escaped as Slack asks (`&`, `<`, `>` as entities), so a property value cannot
 * make a link or a mention (`<!channel>`); Slack has no escape for `*`, `_` or `~`, which can at
 * most change the emphasis. Texts are cut to Slack's limits after escaping (an over-long field
 * makes Slack refuse the whole message).
 */
import type { AlertNotification } from './alert-notification.js';
import {
  alertDetails,
  alertHeadline,
  alertSummary,
  alertTitle,
  contributorLine,
  contributorSections,
  cutText,
  instantWords,
  REQUESTS_LINK_LABEL,
  TEST_NOTICE,
} from './alert-text.js';

/** A Block Kit text object. */
export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
}

/** The blocks a notification uses. */
export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'actions'; elements: { type: 'button'; text: SlackText; url: string; style?: 'primary' | 'danger' }[] };

/** What a Slack incoming webhook takes. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

// Slack's limits (Block Kit reference): header 150, a field 2,000, a section's text 3,000, a button's URL 3,000, 50 blocks.
const HEADER_MAX = 150;
const FIELD_MAX = 2_000;
const SECTION_MAX = 3_000;
const BUTTON_URL_MAX = 3_000;
const MAX_CONTRIBUTOR_SECTIONS = 40;
// A contributor's value as shown: five of them, escaped (up to five characters each), fit a section's text.
const CONTRIBUTOR_VALUE_MAX = 80;
const CONTRIBUTOR_HEADING_MAX = 200;
// The fallback text: Slack truncates over 40,000 characters; a title never comes near, but bound it.
const TEXT_MAX = 3_000;

const SLACK_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes Slack's control characters `&`, `<` and `>`; nothing else (Slack decodes only these three). */
export function escapeSlack(text: string): string {
  return text.replace(/[&<>]/g, (character) => SLACK_ENTITIES[character] ?? character);
}

/** Escaped text of at most `maxLength` characters, cut (with `…`) between characters, never inside an entity. */
export function escapeSlackWithin(text: string, maxLength: number): string {
  const escaped = escapeSlack(text);
  if (escaped.length <= maxLength) return escaped;
  let cut = '';
  for (const character of text) {
    const next = escapeSlack(character);
    if (cut.length + next.length > maxLength - 1) break;
    cut += next;
  }
  return `${cut}…`;
}

const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text });

/** The Slack incoming-webhook payload of a notification. */
export function alertSlackMessage(notification: AlertNotification): SlackMessage {
  const title = alertTitle(notification);
  const headline = `[${notification.severity}] ${alertHeadline(notification)}`;
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: escapeSlackWithin(headline, HEADER_MAX) } }];
  blocks.push({ type: 'section', text: mrkdwn(escapeSlackWithin(alertSummary(notification), SECTION_MAX)) });
  if (notification.kind === 'test') blocks.push({ type: 'context', elements: [mrkdwn(escapeSlack(TEST_NOTICE))] });
  const fields = alertDetails(notification)
    .filter((detail) => detail.label !== 'Status' && detail.label !== 'Evaluated')
    .map((detail) => mrkdwn(`*${detail.label}*\n${escapeSlackWithin(detail.text, FIELD_MAX - detail.label.length - 3)}`));
  blocks.push({ type: 'section', fields });
  for (const section of contributorSections(notification).slice(0, MAX_CONTRIBUTOR_SECTIONS)) {
    let text = `*${escapeSlackWithin(section.heading, CONTRIBUTOR_HEADING_MAX)}*`;
    for (const row of section.rows) {
      const line = `\n• ${escapeSlack(contributorLine({ ...row, value: cutText(row.value, CONTRIBUTOR_VALUE_MAX) }))}`;
      if (text.length + line.length > SECTION_MAX) break;
      text += line;
    }
    blocks.push({ type: 'section', text: mrkdwn(text) });
  }
  // A longer link (filter values of hundreds of non-ASCII characters) would make Slack refuse the message.
  if (notification.requestsUrl.length <= BUTTON_URL_MAX) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: REQUESTS_LINK_LABEL }, url: notification.requestsUrl }],
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      mrkdwn(escapeSlackWithin(`Lookout · rule ${notification.ruleId} · evaluated ${instantWords(notification.evaluatedAt)}`, SECTION_MAX)),
    ],
  });
  return { text: escapeSlackWithin(title, TEXT_MAX), blocks };
}
