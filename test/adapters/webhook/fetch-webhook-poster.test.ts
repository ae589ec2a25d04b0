/**
 * The webhook poster against a loopback receiver standing in for Slack's incoming webhooks
 * (`lambdas/demo/slack-receiver.ts`): what arrives (method, path, headers, body byte for byte),
 * and the failures the evaluator sees: a refusal, a receiver that hangs, a redirect, no
 * receiver at all. The URL's path is the webhook's secret, so every error is checked to name the
 * host and not the path.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ERROR_BODY_CHARS, FetchWebhookPoster, WebhookPostError } from '../../../lambdas/adapters/webhook/fetch-webhook-poster.js';
import { freePort } from '../../../lambdas/local/free-port.js';
import { SLACK_WEBHOOK_PATH, SlackReceiver } from '../../../lambdas/demo/slack-receiver.js';

const SLACK_BODY = JSON.stringify({
  text: 'High error rate: triggered',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*12.5 %* — “α”' } }],
});

/** The error a post rejected with, checked to name `host` and none of the URL's path. */
async function failureOf(post: Promise<void>, host: string): Promise<WebhookPostError> {
  const error = await post.then(
    () => assert.fail('the post should have failed'),
    (error: unknown) => error,
  );
  assert.ok(error instanceof WebhookPostError, `not a WebhookPostError: ${error}`);
  assert.equal(error.host, host);
  assert.ok(error.message.includes(host), `names the host: ${error.message}`);
  const text = `${error.message} ${error.stack} ${String((error.cause as Error | undefined)?.message)}`;
  assert.ok(!text.includes('/services') && !text.includes('XXXXXXXX'), `names none of the path: ${text}`);
  return error;
}

describe('FetchWebhookPoster against a loopback Slack receiver', () => {
  let receiver: SlackReceiver;
  const poster = new FetchWebhookPoster();

  before(async () => {
    receiver = await SlackReceiver.start();
  });
  beforeEach(() => receiver.reset());
  after(() => receiver.stop());

  it('POSTs the body as it is, as JSON, with the caller’s headers, to the URL’s path', async () => {
    await poster.post(receiver.url(), SLACK_BODY, { 'Lookout-Signature': 't=1767225600,v1=abc', 'Lookout-Event': 'triggered' });

    assert.equal(receiver.received.length, 1);
    const [request] = receiver.received;
    assert.equal(request!.method, 'POST');
    assert.equal(request!.path, SLACK_WEBHOOK_PATH);
    assert.equal(request!.body, SLACK_BODY);
    assert.deepEqual(request!.json, JSON.parse(SLACK_BODY));
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.equal(request!.headers['lookout-signature'], 't=1767225600,v1=abc');
    assert.equal(request!.headers['lookout-event'], 'triggered');
    assert.equal(request!.headers['content-length'], String(Buffer.byteLength(SLACK_BODY)));
  });

  it('sends JSON whatever content type the caller names', async () => {
    await poster.post(receiver.url('/hook'), '{}', { 'Content-Type': 'text/plain' });

    assert.equal(receiver.received[0]!.headers['content-type'], 'application/json');
  });

  it('accepts any 2xx answer', async () => {
    receiver.answerNext({ status: 204, body: '' }, { status: 202, body: 'queued' });
    await poster.post(receiver.url(), '{}', {});
    await poster.post(receiver.url(), '{}', {});
    assert.equal(receiver.received.length, 2);
  });

  it('throws on a 500, naming the host, the status and the answer’s text, not the path', async () => {
    receiver.answerNext({ status: 500, body: 'internal_error' });

    const error = await failureOf(poster.post(receiver.url(), SLACK_BODY, {}), receiver.host);
    assert.equal(error.status, 500);
    assert.equal(error.message, `Webhook POST to ${receiver.host} answered 500: internal_error`);
  });

  it('throws on Slack’s plain-text refusals (invalid_payload, no_service), quoting them', async () => {
    receiver.answerNext({ status: 400, body: 'invalid_payload' }, { status: 404, body: 'no_service' });

    assert.match((await failureOf(poster.post(receiver.url(), '{', {}), receiver.host)).message, / answered 400: invalid_payload$/);
    assert.match((await failureOf(poster.post(receiver.url(), '{}', {}), receiver.host)).message, / answered 404: no_service$/);
  });

  it('quotes only the first 200 characters of a long answer', async () => {
    receiver.answerNext({ status: 503, body: `<html>${'e'.repeat(5_000)}</html>` });

    const error = await failureOf(poster.post(receiver.url(), '{}', {}), receiver.host);
    const quoted = error.message.slice(error.message.indexOf('503: ') + 5);
    assert.equal(quoted.length, ERROR_BODY_CHARS);
    assert.ok(quoted.startsWith('<html>eee'));
  });

  it('throws when the receiver does not answer within the timeout, naming the host, not the path', async () => {
    receiver.answerNext({ delayMs: 5_000 });
    const started = Date.now();

    const error = await failureOf(new FetchWebhookPoster({ timeoutMs: 200 }).post(receiver.url(), '{}', {}), receiver.host);
    assert.equal(error.message, `Webhook POST to ${receiver.host} timed out after 200 ms`);
    assert.equal(error.status, undefined);
    assert.ok(Date.now() - started < 3_000, 'gave up at the timeout');
  });

  it('does not follow a redirect: a 3xx is a failure, and only the first URL gets a request', async () => {
    receiver.answerNext({ status: 302, body: '', headers: { location: receiver.url('/elsewhere') } });

    const error = await failureOf(poster.post(receiver.url(), '{}', {}), receiver.host);
    assert.equal(error.status, 302);
    assert.match(error.message, /answered 302 \(redirects are not followed\)$/);
    assert.deepEqual(
      receiver.received.map((request) => request.path),
      [SLACK_WEBHOOK_PATH],
    );
  });

  it('throws when nothing listens at the URL, naming the host, not the path', async () => {
    const host = `127.0.0.1:${await freePort()}`;

    const error = await failureOf(poster.post(`http://${host}${SLACK_WEBHOOK_PATH}`, '{}', {}), host);
    assert.match(error.message, /failed: .*ECONNREFUSED/);
  });

  it('refuses a URL that is not https (http only to a loopback address) without sending it, quoting none of it', async () => {
    await failureOf(poster.post(`http://hooks.slack.com${SLACK_WEBHOOK_PATH}`, '{}', {}), 'hooks.slack.com');
    const error = await poster.post(`not a url ${SLACK_WEBHOOK_PATH}`, '{}', {}).catch((error: unknown) => error);
    assert.ok(error instanceof WebhookPostError);
    assert.ok(!error.message.includes('/services'), error.message);
  });
});
