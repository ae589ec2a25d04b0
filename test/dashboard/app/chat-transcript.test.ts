import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chatTranscriptOf } from '../../../dashboard/src/app/chat-transcript.js';

describe("a request's bodies as a chat", () => {
  test('OpenAI chat completions, buffered, with a system prompt and a tool call', () => {
    const chat = chatTranscriptOf(
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Weather?' },
              { type: 'image_url', image_url: { url: 'x' } },
            ],
          },
        ],
      },
      {
        choices: [
          {
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [{ type: 'function', function: { name: 'weather', arguments: '{"city":"Lisbon"}' } }],
            },
          },
        ],
      },
    );
    assert.deepEqual(chat, {
      system: 'Be brief.',
      messages: [{ role: 'user', text: 'Weather?\n[image]' }],
      answer: { role: 'assistant', text: '[tool call weather] {"city":"Lisbon"}' },
    });
  });

  test('a streamed OpenAI answer is its deltas joined', () => {
    const sse = [
      'data: {"choices":[{"delta":{"role":"assistant","content":"Hel"}}]}',
      'data: {"choices":[{"delta":{"content":"lo"}}]}',
      'data: [DONE]',
      '',
    ].join('\n\n');
    assert.deepEqual(chatTranscriptOf({ messages: [{ role: 'user', content: 'hi' }] }, sse)?.answer, { role: 'assistant', text: 'Hello' });
  });

  test('Anthropic messages, buffered and streamed', () => {
    const request = { model: 'claude', system: [{ type: 'text', text: 'Terse.' }], messages: [{ role: 'user', content: 'hi' }] };
    assert.deepEqual(chatTranscriptOf(request, { type: 'message', content: [{ type: 'text', text: 'Hello.' }] }), {
      system: 'Terse.',
      messages: [{ role: 'user', text: 'hi' }],
      answer: { role: 'assistant', text: 'Hello.' },
    });
    const sse = [
      'event: message_start\ndata: {"type":"message_start","message":{}}',
      'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta","text":"Hi"}}',
      'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta","text":" there"}}',
    ].join('\n\n');
    assert.equal(chatTranscriptOf(request, sse)?.answer?.text, 'Hi there');
  });

  test('OpenAI responses: instructions, input and output text', () => {
    assert.deepEqual(
      chatTranscriptOf(
        { instructions: 'Rhyme.', input: 'a cat' },
        { output: [{ type: 'message', content: [{ type: 'output_text', text: 'A cat sat.' }] }] },
      ),
      {
        system: 'Rhyme.',
        messages: [{ role: 'user', text: 'a cat' }],
        answer: { role: 'assistant', text: 'A cat sat.' },
      },
    );
  });

  test('an embeddings request or an error answer is not a chat, or has no answer', () => {
    assert.equal(chatTranscriptOf({ model: 'text-embedding-3-small', input: 3 }, { data: [] }), null);
    assert.equal(chatTranscriptOf('not json', null), null);
    assert.equal(chatTranscriptOf({ messages: [{ role: 'user', content: 'hi' }] }, { error: { message: 'boom' } })?.answer, null);
  });
});
