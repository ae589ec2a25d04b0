/**
 * Webhook deliveries (Slack incoming webhooks, rules' signed webhooks) as one POST of JSON with
 * Node's built-in fetch: no SDK and no dependency, and off the request path (the alert evaluator,
 * the query API's test notification).
 *
 * - A timeout (`WEBHOOK_TIMEOUT_MS`) covers the whole exchange, the answer's body included, so a
 *   receiver that hangs costs the evaluator one bounded wait and the evaluator's retry decides.
 * - Redirects are not followed: the URL a rule names is where its signed notification goes, and
 *   a 3xx is reported like any other non-2xx answer.
 * - A non-2xx answer throws naming the status and the start of the body, because Slack explains
 *   itself there in plain text (`invalid_payload`, `no_service`, `channel_is_archived`).
 * - A Slack webhook URL is a credential (its path is the token), and a rule's URL may carry one:
 *   errors name the host only, never the path or the query, and the URL is checked here without
 *   letting `new URL` throw (its error carries the input).
 * - No retries: the evaluator retries a channel with its own backoff.
 */
import { isAlertTargetUrl } from '../../contract/alert-rule.js';
import type { WebhookPoster } from '../../core/ports/alert-channels.js';

/** The longest a delivery may take, from the request to the answer's last byte. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** How much of a failed answer's body its error quotes. */
export const ERROR_BODY_CHARS = 200;

const USER_AGENT = 'Lookout-Alerts';

/** A delivery that failed; `host` is the only part of the URL it names. */
export class WebhookPostError extends Error {
  override readonly name = 'WebhookPostError';

  constructor(
    message: string,
    /** The URL's host (with its port, if any). */
    readonly host: string,
    /** The receiver's answer status; undefined when there was no answer (refused, timed out). */
    readonly status: number | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class FetchWebhookPoster implements WebhookPoster {
  constructor(private readonly options: { timeoutMs?: number } = {}) {}

  async post(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<void> {
    const target = targetOf(url);
    const timeoutMs = this.options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    const signal = AbortSignal.timeout(timeoutMs);
    const failed = (error: unknown) =>
      signal.aborted
        ? new WebhookPostError(`Webhook POST to ${target.host} timed out after ${timeoutMs} ms`, target.host, undefined)
        : new WebhookPostError(`Webhook POST to ${target.host} failed: ${describeFailure(error)}`, target.host, undefined, {
            cause: error,
          });

    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        body,
        headers: { 'user-agent': USER_AGENT, ...withoutContentType(headers), 'content-type': 'application/json' },
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      throw failed(error);
    }
    if (response.status >= 200 && response.status < 300) {
      // Accepted: the body (Slack's "ok") says nothing more, and waiting for it could only turn a delivery into a failure.
      await response.body?.cancel().catch(() => {});
      return;
    }
    const start = await firstCharacters(response, ERROR_BODY_CHARS);
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    throw new WebhookPostError(
      `Webhook POST to ${target.host} answered ${response.status}${redirect}${start ? `: ${start}` : ''}`,
      target.host,
      response.status,
    );
  }
}

/** The URL, parsed; an unusable one throws an error that quotes none of it (the host, when there is one). */
function targetOf(url: string): URL {
  if (!URL.canParse(url)) throw new WebhookPostError('Webhook URL is not a URL', '', undefined);
  const target = new URL(url);
  if (!isAlertTargetUrl(url))
    throw new WebhookPostError(`Webhook URL for ${target.host} is not https (http is only for a loopback address)`, target.host, undefined);
  return target;
}

function withoutContentType(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-type'));
}

/** fetch's own message is "fetch failed"; the reason (ECONNREFUSED, a TLS error) is in its cause. */
function describeFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.message === 'string' && cause.message) return cause.message;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

/** Up to `max` characters of the body, whitespace runs as one space; what could be read if reading fails part way. */
async function firstCharacters(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < max) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // The timeout or a reset mid-body: the status is the news, the body only its explanation.
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, max);
}
