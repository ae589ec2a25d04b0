import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { bodyJsonFromGzip } from '../../../lambdas/core/query/stored-body-json.js';

const gzip = (bytes: Uint8Array | string) => new Uint8Array(gzipSync(typeof bytes === 'string' ? Buffer.from(bytes) : bytes));

describe('bodyJsonFromGzip', () => {
  it('gives null for a body that decompresses past the limit, so the caller can link to it', () => {
    assert.equal(bodyJsonFromGzip(gzip('x'.repeat(1025)), 1024), null);
    assert.deepEqual(bodyJsonFromGzip(gzip('x'.repeat(1024)), 1024), { body: 'x'.repeat(1024), encoding: 'text' });
  });

  it('parses JSON bodies', () => {
    assert.deepEqual(bodyJsonFromGzip(gzip('{"model":"gpt-4o","messages":[]}')), {
      body: { model: 'gpt-4o', messages: [] },
      encoding: 'json',
    });
  });

  it('keeps SSE streams and other text as text', () => {
    const sse = 'data: {"id":1}\n\ndata: [DONE]\n\n';
    assert.deepEqual(bodyJsonFromGzip(gzip(sse)), { body: sse, encoding: 'text' });
  });

  it('returns bytes that are not UTF-8 as base64 rather than mangling them', () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0x00, 0x10]);
    assert.deepEqual(bodyJsonFromGzip(gzip(bytes)), { body: Buffer.from(bytes).toString('base64'), encoding: 'base64' });
  });
});
