import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUsageOnlyChunk, removeNullUsageMember } from '../../../../lambdas/core/providers/openai-chat/chat-usage-chunk.js';

describe('removeNullUsageMember', () => {
  it('removes the member wherever it is, with the comma that belongs to it', () => {
    assert.equal(removeNullUsageMember('{"id":"a","choices":[],"usage":null}'), '{"id":"a","choices":[]}');
    assert.equal(removeNullUsageMember('{"id":"a","usage":null,"obfuscation":"x"}'), '{"id":"a","obfuscation":"x"}');
    assert.equal(removeNullUsageMember('{"usage":null,"id":"a"}'), '{"id":"a"}');
    assert.equal(removeNullUsageMember('{"usage":null}'), '{}');
  });

  it('keeps the formatting of spaced and pretty-printed JSON', () => {
    assert.equal(removeNullUsageMember('{"id": "a", "usage": null, "b": 1}'), '{"id": "a", "b": 1}');
    assert.equal(removeNullUsageMember('{\n  "id": "a",\n  "usage": null\n}'), '{\n  "id": "a"\n}');
    assert.equal(removeNullUsageMember('{\n  "usage" : null ,\n  "id": "a"\n}'), '{\n  "id": "a"\n}');
  });

  it('leaves chunks alone whose usage has counts, or whose null usage is not top-level', () => {
    assert.equal(removeNullUsageMember('{"choices":[],"usage":{"prompt_tokens":1}}'), null);
    assert.equal(removeNullUsageMember('{"x":{"usage":null}}'), null);
    assert.equal(removeNullUsageMember('{"content":"\\"usage\\":null"}'), null);
    assert.equal(removeNullUsageMember('{"usage":nullish}'), null);
    assert.equal(removeNullUsageMember('[{"usage":null}]'), null);
    assert.equal(removeNullUsageMember('not json'), null);
  });
});

describe('isUsageOnlyChunk', () => {
  it('is the chunk with empty choices and a usage object', () => {
    assert.equal(isUsageOnlyChunk({ choices: [], usage: { prompt_tokens: 1 } }), true);
    assert.equal(isUsageOnlyChunk({ choices: [], usage: null }), false);
    // Azure's first chunk: empty choices, content-filter results, no usage.
    assert.equal(isUsageOnlyChunk({ choices: [], prompt_filter_results: [] }), false);
    assert.equal(isUsageOnlyChunk({ choices: [{ index: 0 }], usage: { prompt_tokens: 1 } }), false);
    assert.equal(isUsageOnlyChunk(null), false);
  });
});
