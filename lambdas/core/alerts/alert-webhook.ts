/**
 * A notification as a rule's webhook: a JSON body, signed the way Stripe signs its webhooks.
 *
 * The body is the notification itself with an envelope of two fields first:
 * `{ "type": "lookout.alert", "version": 1, "kind": "triggered", "ruleId": ..., ... }`. A new
 * field may appear within version 1; a change that breaks a reader makes it version 2.
 *
 * The signature scheme, for receivers:
 *
 *   Each POST carries `Lookout-Signature: t=<timestamp>,v1=<signature>`, where `<timestamp>` is
 *   the Unix time in seconds when it was sent and `<signature>` is the lower-case hex
 *   HMAC-SHA256 of `<timestamp>.<body>` (the timestamp, a full stop, then the raw request body
 *   exactly as received) keyed with the webhook signing secret. To verify: split the header on
 *   `,` and each part on the first `=`; compute the HMAC over the timestamp and the raw body
 *   (before any JSON parsing); compare it with each `v1` value in constant time; and refuse a
 *   timestamp more than 5 minutes from your clock, so a captured request cannot be replayed
 *   later. More than one `v1` may be present while the secret is being rotated: any match is
 *   valid. Parts with other names are to be ignored.
 *
 * `verifyWebhookSignature` is that check.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertNotification } from './alert-notification.js';

/** The header that carries the signature. */
export const WEBHOOK_SIGNATURE_HEADER = 'Lookout-Signature';

/** The webhook body's `type`. */
export const WEBHOOK_TYPE = 'lookout.alert';

/** The webhook body's `version`. */
export const WEBHOOK_VERSION = 1;

/** How far a signature's timestamp may be from the receiver's clock, by default. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/** The webhook's JSON body: the envelope, then the notification. */
export type AlertWebhookBody = { type: typeof WEBHOOK_TYPE; version: typeof WEBHOOK_VERSION } & AlertNotification;

/** The POST of a notification to a rule's webhook. */
export interface AlertWebhookRequest {
  body: string;
  headers: Record<string, string>;
}

/** The webhook's JSON body of a notification. */
export function alertWebhookBody(notification: AlertNotification): string {
  const body: AlertWebhookBody = { type: WEBHOOK_TYPE, version: WEBHOOK_VERSION, ...notification };
  return JSON.stringify(body);
}

function signatureOf(timestampSeconds: number, body: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
}

/** The `Lookout-Signature` value of a body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function webhookSignature(body: string, secret: string, nowSeconds: number): string {
  const timestamp = Math.floor(nowSeconds);
  return `t=${timestamp},v1=${signatureOf(timestamp, body, secret)}`;
}

/** The signed POST of a notification: its JSON body, `Content-Type` and `Lookout-Signature`. */
export function alertWebhookRequest(notification: AlertNotification, secret: string, nowSeconds: number): AlertWebhookRequest {
  const body = alertWebhookBody(notification);
  return {
    body,
    headers: { 'Content-Type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(body, secret, nowSeconds) },
  };
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * True when `header` is a valid `Lookout-Signature` of `body` under `secret`, signed within
 * `toleranceSeconds` of `nowSeconds`; every `v1` is compared in constant time.
 */
export function verifyWebhookSignature(
  header: string,
  body: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (name === 't') {
      if (timestamp !== undefined || !/^\d{1,15}$/.test(value)) return false;
      timestamp = Number(value);
    } else if (name === 'v1') signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(timestamp, body, secret), 'hex');
  let matched = false;
  for (const signature of signatures) {
    // Every candidate is compared, so the time taken does not say which one matched.
    if (HEX_SHA256.test(signature) && timingSafeEqual(expected, Buffer.from(signature, 'hex'))) matched = true;
  }
  return matched;
}
