import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseSseBlock,
  parseSseFrame,
  replaceSseBlockData,
  SseFrameSplitter,
  type SseEvent,
  type SseFrame,
} from '../../../lambdas/core/usage/sse-parser.js';
import { bytesOf, chunkings } from './chunking.js';

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function split(chunks: Uint8Array[]): SseFrame[] {
  const splitter = new SseFrameSplitter();
  const frames = chunks.flatMap((chunk) => splitter.push(chunk));
  const rest = splitter.end();
  return rest ? [...frames, rest] : frames;
}

function eventsOf(frames: SseFrame[]): SseEvent[] {
  return frames.map(parseSseFrame).filter((event): event is SseEvent => event !== null);
}

describe('SseFrameSplitter', () => {
  const stream =
    '\uFEFF: keep-alive comment\n\n' +
    'event: greeting\ndata: héllo 👋\n\n' +
    'data: line one\r\ndata:line two\r\n\r\n' +
    'id: 7\rdata: {"a":1}\r\r' +
    'data\n\n' +
    'event: only-a-name\n\n' +
    'data:  two leading spaces\n\n';

  const expectedEvents: SseEvent[] = [
    { type: 'greeting', data: 'héllo 👋' },
    { type: 'message', data: 'line one\nline two' },
    { type: 'message', data: '{"a":1}' },
    { type: 'message', data: '' },
    { type: 'message', data: ' two leading spaces' },
  ];

  for (const { name, chunks } of chunkings(stream)) {
    it(`finds the same events and keeps every byte, fed as ${name}`, () => {
      const frames = split(chunks);
      assert.deepEqual(eventsOf(frames), expectedEvents);
      assert.equal(decoder.decode(Buffer.concat(frames.map((f) => f.bytes))), stream);
    });
  }

  it('ends a frame at CR when the chunk ends there, and hands the LF on as its tail', () => {
    const splitter = new SseFrameSplitter();
    const first = splitter.push(bytesOf('data: a\r\n\r'));
    assert.deepEqual(
      first.map((f) => [f.kind, decoder.decode(f.bytes)]),
      [['event', 'data: a\r\n\r']],
    );
    const second = splitter.push(bytesOf('\ndata: b\r\n\r\n'));
    assert.deepEqual(
      second.map((f) => [f.kind, decoder.decode(f.bytes)]),
      [
        ['terminator-tail', '\n'],
        ['event', 'data: b\r\n\r\n'],
      ],
    );
    assert.equal(parseSseFrame(second[0]!), null);
  });

  it('returns frames inside one chunk as views of it, without copying', () => {
    const chunk = bytesOf('data: a\n\ndata: b\n\n');
    const frames = new SseFrameSplitter().push(chunk);
    assert.equal(frames.length, 2);
    for (const frame of frames) assert.equal(frame.bytes.buffer, chunk.buffer);
  });

  it('holds an incomplete event and gives it back as unterminated at the end', () => {
    const splitter = new SseFrameSplitter();
    assert.deepEqual(splitter.push(bytesOf('data: {"par')), []);
    assert.equal(splitter.pendingBytes, 11);
    const rest = splitter.end();
    assert.equal(rest?.kind, 'unterminated');
    assert.deepEqual(parseSseFrame(rest!), { type: 'message', data: '{"par' });
    assert.equal(splitter.end(), null);
  });

  it('copies held bytes, so a caller reusing its chunk buffer does not corrupt them', () => {
    const splitter = new SseFrameSplitter();
    const buffer = bytesOf('data: ab');
    splitter.push(buffer);
    buffer.fill(0x78);
    const [frame] = splitter.push(bytesOf('c\n\n'));
    assert.deepEqual(parseSseFrame(frame!), { type: 'message', data: 'abc' });
  });

  it('releases an oversized pending event and marks its remainder as truncated', () => {
    const splitter = new SseFrameSplitter();
    splitter.push(bytesOf('data: {"big":"xxxx'));
    const released = splitter.releasePending();
    assert.equal(decoder.decode(released), 'data: {"big":"xxxx');
    assert.equal(splitter.pendingBytes, 0);
    const frames = splitter.push(bytesOf('xx"}\n\ndata: next\n\n'));
    assert.deepEqual(
      frames.map((f) => f.kind),
      ['truncated', 'event'],
    );
    assert.deepEqual(eventsOf(frames), [{ type: 'message', data: 'next' }]);
  });

  it('ignores a byte-order mark only at the start of the stream', () => {
    const frames = split([bytesOf('\uFEFFdata: first\n\n\uFEFFdata: second\n\n')]);
    assert.deepEqual(eventsOf(frames), [{ type: 'message', data: 'first' }]);
  });
});

describe('parseSseBlock', () => {
  it('dispatches nothing for a block of comments or names only', () => {
    assert.equal(parseSseBlock(': ping\n\n'), null);
    assert.equal(parseSseBlock('event: x\nretry: 10\n\n'), null);
  });

  it('ignores unknown fields and keeps colons inside the value', () => {
    assert.deepEqual(parseSseBlock('foo: bar\ndata: a: b\n\n'), { type: 'message', data: 'a: b' });
  });
});

describe('replaceSseBlockData', () => {
  it('replaces the data lines and keeps every other line and the line ends', () => {
    assert.equal(replaceSseBlockData('event: x\r\ndata: old\r\n: note\r\n\r\n', 'new'), 'event: x\r\ndata: new\r\n: note\r\n\r\n');
  });

  it('keeps the data: spelling and writes multi-line data as several lines', () => {
    assert.equal(replaceSseBlockData('data:one\ndata:two\n\n', 'a\nb'), 'data:a\ndata:b\n\n');
  });
});
