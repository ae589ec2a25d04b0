import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedByteCollector } from '../../../lambdas/core/request-log/bounded-byte-collector.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('BoundedByteCollector', () => {
  it('keeps every byte, in order, while under the limit', () => {
    const collector = new BoundedByteCollector(100);
    for (const part of ['data: {"a"', ':1}\n\n', 'data: [DONE]\n\n']) collector.add(bytes(part));
    assert.equal(collector.bytes().toString('utf8'), 'data: {"a":1}\n\ndata: [DONE]\n\n');
    assert.equal(collector.truncated, false);
  });

  it('is empty before anything was added', () => {
    const collector = new BoundedByteCollector(10);
    assert.equal(collector.bytes().length, 0);
    assert.equal(collector.truncated, false);
  });

  it('accepts a body of exactly the limit without calling it truncated', () => {
    const collector = new BoundedByteCollector(6);
    collector.add(bytes('abc'));
    collector.add(bytes('def'));
    assert.equal(collector.bytes().toString(), 'abcdef');
    assert.equal(collector.truncated, false);
  });

  it('cuts a body at the limit and says so', () => {
    const collector = new BoundedByteCollector(5);
    collector.add(bytes('abc'));
    collector.add(bytes('defgh'));
    assert.equal(collector.bytes().toString(), 'abcde');
    assert.equal(collector.truncated, true);
  });

  it('marks truncation when the limit is reached exactly and one more byte comes', () => {
    const collector = new BoundedByteCollector(3);
    collector.add(bytes('abc'));
    collector.add(bytes('d'));
    assert.equal(collector.bytes().toString(), 'abc');
    assert.equal(collector.truncated, true);
  });

  it('ignores everything after the cut', () => {
    const collector = new BoundedByteCollector(4);
    collector.add(bytes('abcdef'));
    collector.add(bytes('gh'));
    collector.add(bytes('i'));
    assert.equal(collector.bytes().toString(), 'abcd');
    assert.equal(collector.truncated, true);
  });

  it('does not count empty chunks as overflow', () => {
    const collector = new BoundedByteCollector(2);
    collector.add(bytes('ab'));
    collector.add(new Uint8Array(0));
    assert.equal(collector.truncated, false);
  });

  it('keeps nothing with a zero limit, but notices there was a body', () => {
    const collector = new BoundedByteCollector(0);
    collector.add(bytes('x'));
    assert.equal(collector.bytes().length, 0);
    assert.equal(collector.truncated, true);
  });

  it('holds no more than the limit for a runaway answer', () => {
    const collector = new BoundedByteCollector(1024);
    const chunk = new Uint8Array(4096).fill(0x61);
    for (let i = 0; i < 1000; i++) collector.add(chunk);
    assert.equal(collector.bytes().length, 1024);
  });
});
