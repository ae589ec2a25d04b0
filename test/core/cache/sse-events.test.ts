import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitSseEvents } from '../../../lambdas/core/cache/sse-events.js';

const texts = (chunks: Uint8Array[]) => chunks.map((c) => Buffer.from(c).toString('utf8'));

describe('splitSseEvents', () => {
  it('cuts a stream into its events, each with its blank line, and loses no byte', () => {
    const stream = 'event: a\ndata: {"x":1}\n\ndata: {"y":"é"}\n\ndata: [DONE]\n\n';
    const events = splitSseEvents(Buffer.from(stream));
    assert.deepEqual(texts(events), ['event: a\ndata: {"x":1}\n\n', 'data: {"y":"é"}\n\n', 'data: [DONE]\n\n']);
    assert.equal(Buffer.concat(events).toString(), stream);
  });

  it('handles CRLF and CR terminators, and keeps an unterminated tail', () => {
    assert.deepEqual(texts(splitSseEvents(Buffer.from('data: 1\r\n\r\ndata: 2\r\rdata: 3'))), [
      'data: 1\r\n\r\n',
      'data: 2\r\r',
      'data: 3',
    ]);
  });

  it('gives nothing for nothing', () => {
    assert.deepEqual(splitSseEvents(new Uint8Array(0)), []);
  });
});
