/**
 * A notification as an e-mail: the subject is the title, the text part the plain body, and the
 * HTML part a small self-contained mail: tables and inline styles only (what mail clients
 * render alike), no images, fonts or stylesheets to fetch. Every value in the HTML is escaped,
 * so a property value such as `<script>` shows as text.
 */
import type { AlertSeverity } from '../../contract/alert-rule.js';
import type { AlertNotification } from './alert-notification.js';
import {
  alertDetails,
  alertHeadline,
  alertPlainText,
  alertSummary,
  alertTitle,
  contributorSections,
  REQUESTS_LINK_LABEL,
  singleLine,
  TEST_NOTICE,
} from './alert-text.js';

/** What the mailer sends, without the recipients. */
export interface AlertEmail {
  subject: string;
  text: string;
  html: string;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character] ?? character);
}

const SEVERITY_COLOURS: Readonly<Record<AlertSeverity, string>> = { critical: '#b42318', warning: '#b54708', info: '#175cd3' };
const RESOLVED_COLOUR = '#067647';

const FONT = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;";
const CELL = `${FONT}font-size:14px;line-height:20px;color:#101828;padding:6px 12px;border-bottom:1px solid #eaecf0;vertical-align:top;`;
const LABEL_CELL = `${CELL}color:#475467;white-space:nowrap;width:1%;`;

function rowsTable(rows: readonly (readonly string[])[], firstIsLabel: boolean): string {
  const body = rows
    .map(
      (cells) =>
        `<tr>${cells.map((cell, index) => `<td style="${index === 0 && firstIsLabel ? LABEL_CELL : CELL}">${escapeHtml(cell)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">${body}</table>`;
}

function alertHtml(notification: AlertNotification): string {
  const colour = notification.kind === 'resolved' ? RESOLVED_COLOUR : SEVERITY_COLOURS[notification.severity];
  const parts = [
    `<tr><td style="${FONT}background:${colour};color:#ffffff;padding:16px 20px;font-size:18px;line-height:24px;font-weight:600;">` +
      `${escapeHtml(`[${notification.severity}] ${alertHeadline(notification)}`)}</td></tr>`,
    `<tr><td style="${FONT}padding:16px 20px 8px;font-size:15px;line-height:22px;color:#101828;">` +
      `${escapeHtml(alertSummary(notification))}</td></tr>`,
  ];
  if (notification.kind === 'test') {
    parts.push(`<tr><td style="${FONT}padding:0 20px 8px;font-size:13px;color:#475467;">${escapeHtml(TEST_NOTICE)}</td></tr>`);
  }
  const details = [
    ['Rule', `${notification.ruleName} (${notification.ruleId})`],
    ...alertDetails(notification).map((d) => [d.label, d.text]),
  ];
  parts.push(`<tr><td style="padding:8px 8px;">${rowsTable(details, true)}</td></tr>`);
  for (const section of contributorSections(notification)) {
    parts.push(
      `<tr><td style="${FONT}padding:16px 20px 4px;font-size:14px;font-weight:600;color:#101828;">${escapeHtml(section.heading)}</td></tr>`,
      `<tr><td style="padding:0 8px;">${rowsTable(
        section.rows.map((row) => [row.value, row.metric, row.requests]),
        false,
      )}</td></tr>`,
    );
  }
  parts.push(
    `<tr><td style="padding:20px;"><a href="${escapeHtml(notification.requestsUrl)}" ` +
      `style="${FONT}display:inline-block;background:#1d2939;color:#ffffff;text-decoration:none;font-size:14px;font-weight:600;padding:10px 16px;border-radius:6px;">` +
      `${escapeHtml(REQUESTS_LINK_LABEL)}</a></td></tr>`,
    `<tr><td style="${FONT}padding:0 20px 16px;font-size:12px;color:#667085;">Sent by Lookout</td></tr>`,
  );
  return (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    `<title>${escapeHtml(singleLine(alertTitle(notification)))}</title></head>` +
    '<body style="margin:0;padding:0;background:#f2f4f7;">' +
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f2f4f7;"><tr><td align="center" style="padding:24px 12px;">' +
    '<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;width:100%;background:#ffffff;border:1px solid #eaecf0;border-collapse:collapse;">' +
    `${parts.join('')}</table></td></tr></table></body></html>`
  );
}

/** The e-mail of a notification: the title as subject (on one line), the plain body, the HTML mail. */
export function alertEmail(notification: AlertNotification): AlertEmail {
  return { subject: singleLine(alertTitle(notification)), text: alertPlainText(notification), html: alertHtml(notification) };
}
