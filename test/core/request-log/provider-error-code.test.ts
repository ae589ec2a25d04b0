import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { providerErrorCode } from '../../../lambdas/core/request-log/provider-error-code.js';

const body = (text: string) => Buffer.from(text);

describe('providerErrorCode', () => {
  test("takes OpenAI's error.code before its error.type", () => {
    assert.equal(
      providerErrorCode(429, body('{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}')),
      'rate_limit_exceeded',
    );
  });

  test('falls back to error.type when the code is null (OpenAI 500s)', () => {
    assert.equal(
      providerErrorCode(500, body('{"error":{"message":"The server had an error","type":"server_error","code":null}}')),
      'server_error',
    );
  });

  test("reads Anthropic's error envelope", () => {
    assert.equal(
      providerErrorCode(529, body('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}')),
      'overloaded_error',
    );
  });

  test('names the status when the body has no code: empty, not JSON, no error object, or free text', () => {
    assert.equal(providerErrorCode(502, body('')), 'http_502');
    assert.equal(providerErrorCode(502, body('<html>Bad Gateway</html>')), 'http_502');
    assert.equal(providerErrorCode(404, body('{"detail":"Not Found"}')), 'http_404');
    assert.equal(providerErrorCode(400, body('{"error":"model not found"}')), 'http_400');
    assert.equal(providerErrorCode(400, body('{"error":{"type":"this is a sentence, not a code"}}')), 'http_400');
  });

  test('does not parse a body too large to be an error message', () => {
    const huge = `{"error":{"code":"too_big"},"pad":"${'x'.repeat(70 * 1024)}"}`;
    assert.equal(providerErrorCode(500, body(huge)), 'http_500');
  });

  test('reads a view into a larger buffer by its own bytes', () => {
    const whole = Buffer.from('xx{"error":{"code":"abc"}}yy');
    assert.equal(providerErrorCode(400, whole.subarray(2, whole.length - 2)), 'abc');
  });
});
