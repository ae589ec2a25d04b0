import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepareUpstreamRequest } from '../../../lambdas/core/providers/prepare-upstream-request.js';

describe('prepareUpstreamRequest', () => {
  it('asks a streamed chat completion for usage, in a copy', () => {
    const body = Object.freeze({ model: 'gpt-4o', stream: true, messages: [] });
    const prepared = prepareUpstreamRequest('openai.chat', body);
    assert.deepEqual(prepared, {
      body: { model: 'gpt-4o', stream: true, messages: [], stream_options: { include_usage: true } },
      injectedIncludeUsage: true,
    });
    assert.deepEqual(body, { model: 'gpt-4o', stream: true, messages: [] });
  });

  it('keeps the other stream options and overrides include_usage: false', () => {
    const streamOptions = Object.freeze({ include_usage: false, include_obfuscation: false });
    const body = Object.freeze({ model: 'gpt-4o', stream: true, stream_options: streamOptions });
    const prepared = prepareUpstreamRequest('openai.chat', body);
    assert.deepEqual(prepared.body, { model: 'gpt-4o', stream: true, stream_options: { include_usage: true, include_obfuscation: false } });
    assert.equal(prepared.injectedIncludeUsage, true);
    assert.equal(streamOptions.include_usage, false);
  });

  it('returns the very same body when there is nothing to add', () => {
    const cases: [Parameters<typeof prepareUpstreamRequest>[0], unknown][] = [
      ['openai.chat', { stream: true, stream_options: { include_usage: true } }],
      ['openai.chat', { stream: false }],
      ['openai.chat', { messages: [] }],
      ['openai.chat', { stream: true, stream_options: 'yes' }],
      ['openai.chat', 'not an object'],
      ['openai.responses', { stream: true }],
      ['anthropic.messages', { stream: true }],
      ['other', { stream: true }],
    ];
    for (const [kind, body] of cases) {
      const prepared = prepareUpstreamRequest(kind, body);
      assert.equal(prepared.body, body);
      assert.equal(prepared.injectedIncludeUsage, false);
    }
  });

  it('adds stream_options when the client sent it as null', () => {
    const prepared = prepareUpstreamRequest('openai.chat', { stream: true, stream_options: null });
    assert.deepEqual(prepared.body, { stream: true, stream_options: { include_usage: true } });
  });
});
