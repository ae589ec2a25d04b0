import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerError } from '../../../lambdas/app/gateway/answer-error.js';
import { LookoutError } from '../../../lambdas/core/lookout-error.js';
import { contextFor, httpRequest, readAll, RecordingLogger } from '../../support/gateway-fakes.js';

function answered(error: unknown, authenticated: boolean) {
  const logger = new RecordingLogger();
  const context = contextFor(httpRequest({ path: '/openai/v1/chat/completions' }), 'req-1');
  if (authenticated) context.keyName = 'test-app';
  answerError(logger, () => 9_000)(error, context);
  return { context, logger };
}

describe('answerError', () => {
  it('answers a Lookout error with its status and JSON {"error":{"code","message"}}, carrying the request id', async () => {
    const { context } = answered(new LookoutError(413, 'payload_too_large', 'The request body is over the 10-byte limit.'), true);
    assert.equal(context.response?.statusCode, 413);
    assert.deepEqual(context.response?.headers, { 'content-type': 'application/json', 'lookout-id': 'req-1', 'helicone-id': 'req-1' });
    const body = await readAll(context.response!.body);
    assert.deepEqual(JSON.parse(body.toString()), {
      error: { code: 'payload_too_large', message: 'The request body is over the 10-byte limit.' },
    });
    const finished = await context.finished!;
    assert.equal(finished.status, 413);
    assert.equal(finished.outcome, 'rejected');
    assert.equal(finished.errorCode, 'payload_too_large');
    assert.equal(finished.endedAtMs, 9_000);
    assert.deepEqual(finished.responseBytes, body);
  });

  it('answers anything else with a 500 internal_error and puts its stack in the CloudWatch log', async () => {
    const { context, logger } = answered(new TypeError('cannot read x of undefined'), true);
    assert.equal(context.response?.statusCode, 500);
    assert.deepEqual(JSON.parse((await readAll(context.response!.body)).toString()), {
      error: { code: 'internal_error', message: 'Lookout failed to handle this request; it has been logged.' },
    });
    assert.equal(logger.lines.length, 1);
    assert.equal(logger.lines[0]?.level, 'error');
    assert.equal(logger.lines[0]?.message, 'gateway request failed');
    assert.equal(logger.lines[0]?.extra.requestId, 'req-1');
    assert.match(String(logger.lines[0]?.extra.error), /TypeError: cannot read x of undefined\n\s+at /);
  });

  it('only warns about a request refused before authentication', () => {
    const { logger } = answered(new LookoutError(401, 'invalid_api_key', 'The Lookout key is not valid or has been revoked.'), false);
    assert.deepEqual(logger.lines, [
      {
        level: 'warn',
        message: 'request refused before authentication',
        extra: { requestId: 'req-1', path: '/openai/v1/chat/completions', status: 401, code: 'invalid_api_key' },
      },
    ]);
  });

  it('leaves the CloudWatch log alone for a Lookout error after authentication (the request log has it)', () => {
    const { logger } = answered(new LookoutError(400, 'invalid_json', 'The request body is not valid JSON: x'), true);
    assert.deepEqual(logger.lines, []);
  });

  it('reports upstream timeouts and unreachable upstreams as such, everything else as rejected', async () => {
    for (const [code, outcome] of [
      ['upstream_timeout', 'timeout'],
      ['upstream_unreachable', 'upstream_error'],
      ['target_url_not_allowed', 'rejected'],
    ] as const) {
      const { context } = answered(new LookoutError(502, code, 'x'), true);
      context.response!.body.resume();
      assert.equal((await context.finished!).outcome, outcome, code);
    }
  });

  it('says the answer is over only once the client has read it', async () => {
    const { context } = answered(new LookoutError(404, 'not_found', 'No route.'), false);
    let over = false;
    void context.finished!.then(() => (over = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(over, false);
    context.response!.body.resume();
    await context.finished;
    assert.equal(over, true);
  });
});
