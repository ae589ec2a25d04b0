/**
 * A notification as an SNS message on the deployment's alerts topic: the plain body as the
 * message, a subject for the e-mail subscriptions, and message attributes that subscriptions
 * filter on (a filter policy such as `{ "severity": ["critical"], "kind": ["triggered"] }`).
 *
 * SNS refuses the whole publish when the subject has a line break or a control character, or
 * is 100 characters or longer, so the subject is the title on one line when it fits, else the
 * title without the requests and the filter (the message has them), cut with `…` if need be.
 */
import type { AlertNotification } from './alert-notification.js';
import { alertPlainText, alertShortTitle, alertTitle, cutText, singleLine } from './alert-text.js';

/** SNS wants a subject "less than 100 characters long". */
export const SNS_SUBJECT_MAX_LENGTH = 99;

/** What the alerts topic publishes. */
export interface AlertSnsMessage {
  subject: string;
  text: string;
  /** `severity` (`critical`, `warning`, `info`), `rule` (the rule's id), `kind` (`triggered`, `resolved`, `reminder`, `test`). */
  attributes: { severity: string; rule: string; kind: string };
}

/** A subject SNS takes: one line, no control characters, under 100 characters. */
export function snsSubject(text: string): string {
  return cutText(singleLine(text), SNS_SUBJECT_MAX_LENGTH);
}

const fits = (text: string): boolean => singleLine(text).length <= SNS_SUBJECT_MAX_LENGTH;

/** The SNS message of a notification. */
export function alertSnsMessage(notification: AlertNotification): AlertSnsMessage {
  return {
    subject: snsSubject(fits(alertTitle(notification)) ? alertTitle(notification) : alertShortTitle(notification)),
    text: alertPlainText(notification),
    attributes: { severity: notification.severity, rule: notification.ruleId, kind: notification.kind },
  };
}
