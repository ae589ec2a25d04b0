import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopLevelJsonFieldCollector } from '../../../lambdas/core/usage/json-top-level-fields.js';
import { bytesOf, chunkings } from './chunking.js';

function collect(chunks: Uint8Array[], names = ['usage', 'model'], maxValueBytes?: number): Record<string, unknown> {
  const collector = new TopLevelJsonFieldCollector(names, maxValueBytes);
  for (const chunk of chunks) collector.push(chunk);
  return Object.fromEntries(collector.values());
}

describe('TopLevelJsonFieldCollector', () => {
  const body = JSON.stringify(
    {
      id: 'x',
      nested: { model: 'not this', usage: { prompt_tokens: -1 } },
      list: [{ usage: 1 }, '"usage": 2', '\\', 'é 👋 \u0000'],
      'us\u0061ge-ish': true,
      model: 'gpt-4o-2024-08-06',
      text: 'a "quoted" {brace} [bracket], comma',
      usage: { prompt_tokens: 10, completion_tokens: 5, details: { cached_tokens: [1, 2] } },
      trailing: null,
    },
    null,
    1,
  );

  for (const { name, chunks } of chunkings(body)) {
    it(`keeps only the top-level members asked for, fed as ${name}`, () => {
      assert.deepEqual(collect(chunks), {
        model: 'gpt-4o-2024-08-06',
        usage: { prompt_tokens: 10, completion_tokens: 5, details: { cached_tokens: [1, 2] } },
      });
    });
  }

  it('reads keys spelled with escapes as JSON.parse does, and keeps the last duplicate', () => {
    assert.deepEqual(collect([bytesOf('{"model":"a","mod\\u0065l":"b","usage":1,"usage":2}')]), { model: 'b', usage: 2 });
  });

  it('finds nothing in a body that is not an object', () => {
    assert.deepEqual(collect([bytesOf('[{"usage":1}]')]), {});
    assert.deepEqual(collect([bytesOf('<html><body>502 Bad Gateway</body></html>')]), {});
  });

  it('skips a member larger than the limit instead of keeping it', () => {
    const big = JSON.stringify({ usage: { blob: 'x'.repeat(5000) }, model: 'm' });
    assert.deepEqual(collect([bytesOf(big)], ['usage', 'model'], 1000), { model: 'm' });
  });

  it('leaves out a member the body was cut in the middle of', () => {
    assert.deepEqual(collect([bytesOf('{"model":"m","usage":{"prompt_tokens":1')]), { model: 'm' });
  });
});
