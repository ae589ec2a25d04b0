import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { httpRequestFromEvent } from '../../../lambdas/handlers/http/http-request-from-event.js';

/** A REST proxy event as API Gateway sends it when the request has no headers, query or body. */
function proxyEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    body: null,
    headers: {},
    multiValueHeaders: {},
    httpMethod: 'POST',
    isBase64Encoded: false,
    path: '/openai/v1/chat/completions',
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: { identity: { sourceIp: '203.0.113.9' } } as APIGatewayProxyEvent['requestContext'],
    resource: '/{proxy+}',
    ...overrides,
  };
}

describe('httpRequestFromEvent', () => {
  it('keeps method, path and source IP', () => {
    const request = httpRequestFromEvent(proxyEvent({ httpMethod: 'post', path: '/anthropic/v1/messages' }));
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/anthropic/v1/messages');
    assert.equal(request.sourceIp, '203.0.113.9');
  });

  it('leaves the source IP undefined when the event has none', () => {
    const request = httpRequestFromEvent(proxyEvent({ requestContext: {} as APIGatewayProxyEvent['requestContext'] }));
    assert.equal(request.sourceIp, undefined);
  });

  describe('body', () => {
    it('reads a text body as UTF-8', () => {
      const json = '{"model":"gpt-4o","messages":[{"role":"user","content":"grüß dich 👋"}]}';
      const request = httpRequestFromEvent(proxyEvent({ body: json }));
      assert.ok(Buffer.isBuffer(request.body));
      assert.equal(request.body.toString('utf8'), json);
      assert.equal(request.body.length, Buffer.byteLength(json));
    });

    it('decodes a base64 body to its exact bytes, binary included', () => {
      const bytes = Buffer.from([0x00, 0xff, 0x1f, 0x8b, 0x08, 0x80, 0x7f]);
      const request = httpRequestFromEvent(proxyEvent({ body: bytes.toString('base64'), isBase64Encoded: true }));
      assert.deepEqual(request.body, bytes);
    });

    it('does not base64-decode a text body', () => {
      const request = httpRequestFromEvent(proxyEvent({ body: 'aGVsbG8=', isBase64Encoded: false }));
      assert.equal(request.body.toString('utf8'), 'aGVsbG8=');
    });

    it('is empty when the event has no body', () => {
      assert.equal(httpRequestFromEvent(proxyEvent({ body: null })).body.length, 0);
      assert.equal(httpRequestFromEvent(proxyEvent({ body: '' })).body.length, 0);
      assert.equal(httpRequestFromEvent(proxyEvent({ body: '', isBase64Encoded: true })).body.length, 0);
    });
  });

  describe('headers', () => {
    it('lower-cases header names', () => {
      const request = httpRequestFromEvent(
        proxyEvent({
          headers: { 'Content-Type': 'application/json', 'Lookout-Auth': 'Bearer lk_x', 'X-API-Key': 'sk' },
          multiValueHeaders: { 'Content-Type': ['application/json'], 'Lookout-Auth': ['Bearer lk_x'], 'X-API-Key': ['sk'] },
        }),
      );
      assert.deepEqual(request.headers, { 'content-type': 'application/json', 'lookout-auth': 'Bearer lk_x', 'x-api-key': 'sk' });
    });

    it('joins repeated headers with ", " in the order they came', () => {
      const request = httpRequestFromEvent(
        proxyEvent({
          // API Gateway puts the last value in `headers` and all of them in `multiValueHeaders`.
          headers: { Accept: 'application/json', 'X-Tag': 'b' },
          multiValueHeaders: { Accept: ['application/json'], 'X-Tag': ['a', 'b'] },
        }),
      );
      assert.equal(request.headers['x-tag'], 'a, b');
      assert.equal(request.headers['accept'], 'application/json');
    });

    it('joins repeated headers that came with different capitalisations', () => {
      const request = httpRequestFromEvent(
        proxyEvent({
          headers: { 'x-tag': 'b' },
          multiValueHeaders: { 'X-Tag': ['a'], 'x-tag': ['b'] },
        }),
      );
      assert.equal(request.headers['x-tag'], 'a, b');
    });

    it('uses the single-value map when the multi-value map lacks a header', () => {
      const request = httpRequestFromEvent(proxyEvent({ headers: { 'User-Agent': 'curl/8' }, multiValueHeaders: {} }));
      assert.deepEqual(request.headers, { 'user-agent': 'curl/8' });
    });

    it('copes with null header maps (API Gateway sends null when there are none)', () => {
      const request = httpRequestFromEvent(
        proxyEvent({
          headers: null as unknown as APIGatewayProxyEvent['headers'],
          multiValueHeaders: null as unknown as APIGatewayProxyEvent['multiValueHeaders'],
        }),
      );
      assert.deepEqual(request.headers, {});
    });

    it('keeps headers named like object properties', () => {
      const request = httpRequestFromEvent(
        proxyEvent({
          headers: { Constructor: 'a', hasOwnProperty: 'b', 'X-Tag': 'c' },
          multiValueHeaders: { 'X-Tag': ['c'] },
        }),
      );
      assert.equal(request.headers['constructor'], 'a');
      assert.equal(request.headers['hasownproperty'], 'b');
    });

    it('keeps an empty header value', () => {
      const request = httpRequestFromEvent(proxyEvent({ headers: { 'X-Empty': '' }, multiValueHeaders: { 'X-Empty': [''] } }));
      assert.equal(request.headers['x-empty'], '');
    });
  });

  describe('query string', () => {
    it('is empty without a query', () => {
      assert.equal(httpRequestFromEvent(proxyEvent()).rawQuery, '');
      assert.equal(httpRequestFromEvent(proxyEvent({ queryStringParameters: {}, multiValueQueryStringParameters: {} })).rawQuery, '');
    });

    it('comes from the single-value map alone', () => {
      const request = httpRequestFromEvent(proxyEvent({ queryStringParameters: { limit: '10', order: 'desc' } }));
      assert.deepEqual(
        [...new URLSearchParams(request.rawQuery)],
        [
          ['limit', '10'],
          ['order', 'desc'],
        ],
      );
    });

    it('keeps every value of a repeated parameter from the multi-value map, once each', () => {
      const request = httpRequestFromEvent(
        proxyEvent({
          queryStringParameters: { include: 'b', limit: '10' },
          multiValueQueryStringParameters: { include: ['a', 'b'], limit: ['10'] },
        }),
      );
      const params = new URLSearchParams(request.rawQuery);
      assert.deepEqual(params.getAll('include'), ['a', 'b']);
      assert.deepEqual(params.getAll('limit'), ['10']);
      assert.equal([...params].length, 3);
    });

    it('adds single-value parameters missing from the multi-value map', () => {
      const request = httpRequestFromEvent(
        proxyEvent({
          queryStringParameters: { a: '1', b: '2' },
          multiValueQueryStringParameters: { a: ['1'] },
        }),
      );
      assert.deepEqual(
        [...new URLSearchParams(request.rawQuery)],
        [
          ['a', '1'],
          ['b', '2'],
        ],
      );
    });

    it('re-encodes decoded values so they reach the upstream unchanged', () => {
      const values = { q: 'a b&c=d', path: '/x/y?z', unicode: 'é', empty: '' };
      const request = httpRequestFromEvent(proxyEvent({ queryStringParameters: values }));
      assert.equal(request.rawQuery.startsWith('?'), false);
      assert.deepEqual(Object.fromEntries(new URLSearchParams(request.rawQuery)), values);
    });
  });
});
