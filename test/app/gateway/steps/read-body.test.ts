import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readBody } from '../../../../lambdas/app/gateway/steps/read-body.js';
import { contextFor, httpRequest, refusal, runStep, testConfig } from '../../../support/gateway-fakes.js';

const step = readBody(testConfig({ maxBodyBytes: 64 }));

async function jsonOf(headers: Record<string, string>, body: string): Promise<unknown> {
  const context = contextFor(httpRequest({ headers, body }));
  const { nextCalled } = await runStep(step, context);
  assert.equal(nextCalled, true);
  return context.json;
}

describe('read-body step', () => {
  it('parses a JSON body, also with a +json type or no content type', async () => {
    assert.deepEqual(await jsonOf({}, '{"model":"m"}'), { model: 'm' });
    assert.deepEqual(await jsonOf({ 'content-type': 'application/vnd.api+json; charset=utf-8' }, '[1]'), [1]);
    assert.deepEqual(await jsonOf({ 'content-type': '' }, '{"a":1}'), { a: 1 });
  });

  it('leaves other bodies and empty ones unread', async () => {
    assert.equal(await jsonOf({ 'content-type': 'multipart/form-data; boundary=x' }, '--x--'), undefined);
    assert.equal(await jsonOf({}, ''), undefined);
  });

  it('answers a body over maxBodyBytes with 413 naming the limit', async () => {
    const { error, nextCalled } = await refusal(step, contextFor(httpRequest({ body: 'x'.repeat(65) })));
    assert.equal(error.status, 413);
    assert.equal(error.code, 'payload_too_large');
    assert.match(error.message, /64-byte limit/);
    assert.equal(nextCalled, false);
  });

  it('answers JSON that does not parse with 400 invalid_json', async () => {
    const { error } = await refusal(step, contextFor(httpRequest({ body: '{"model":' })));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'invalid_json');
    assert.match(error.message, /^The request body is not valid JSON: /);
  });
});
