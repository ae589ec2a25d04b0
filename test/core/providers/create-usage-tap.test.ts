import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createUsageTap, type UsageTapOptions } from '../../../lambdas/core/providers/create-usage-tap.js';
import type { EndpointKind } from '../../../lambdas/core/providers/registry.js';
import { bytesOf, chunkings, randomChunks, runThrough } from '../usage/chunking.js';
import {
  anthropicMessageBody,
  anthropicStream,
  anthropicStreamUsage,
  chatCompletionBody,
  chatStream,
  chatStreamModel,
  chatStreamUsage,
  embeddingsBody,
  openAiErrorBody,
  responsesBody,
  responsesStream,
  responsesUsageExpected,
} from './provider-fixtures.js';

const streamed: UsageTapOptions = { streaming: true, injectedIncludeUsage: false };
const buffered: UsageTapOptions = { streaming: false, injectedIncludeUsage: false };
const decoder = new TextDecoder();

/** Runs a fixture through a tap, checks the client got what it would get, and returns the result. */
function tapped(kind: EndpointKind, options: UsageTapOptions, chunks: Uint8Array[], expectedClientText: string) {
  const tap = createUsageTap(kind, options);
  const out = runThrough(tap, chunks);
  assert.deepEqual(out, Buffer.from(bytesOf(expectedClientText)));
  return tap.result();
}

function assertSameChunksBack(kind: EndpointKind, options: UsageTapOptions, text: string): void {
  const tap = createUsageTap(kind, options);
  for (const chunk of randomChunks(bytesOf(text), 99)) assert.equal(tap.push(chunk), chunk);
  assert.equal(tap.end().length, 0);
}

describe('usage tap: OpenAI Chat Completions', () => {
  it('reads usage, cached input and model from a buffered answer', () => {
    const result = tapped('openai.chat', buffered, [bytesOf(chatCompletionBody)], chatCompletionBody);
    assert.deepEqual(result, {
      model: 'gpt-4o-mini-2024-07-18',
      usage: {
        promptTokens: 1536,
        completionTokens: 42,
        cachedTokens: 1280,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        totalTokens: 1578,
      },
    });
  });

  describe('when the client asked for include_usage itself', () => {
    const stream = chatStream({ includeUsage: true });
    for (const { name, chunks } of chunkings(stream)) {
      it(`passes the stream through untouched and reads the usage chunk, fed as ${name}`, () => {
        assert.deepEqual(tapped('openai.chat', streamed, chunks, stream), { usage: chatStreamUsage, model: chatStreamModel });
      });
    }

    it('hands every chunk back as the same object, at once', () => {
      assertSameChunksBack('openai.chat', streamed, stream);
    });
  });

  describe('when Lookout injected include_usage', () => {
    const injected: UsageTapOptions = { streaming: true, injectedIncludeUsage: true };
    for (const newline of ['\n', '\r\n'] as const) {
      const upstream = chatStream({ includeUsage: true, newline });
      const withoutUsage = chatStream({ includeUsage: false, newline });
      for (const { name, chunks } of chunkings(upstream)) {
        it(`gives the client byte for byte the stream without include_usage (${JSON.stringify(newline)}, ${name})`, () => {
          assert.deepEqual(tapped('openai.chat', injected, chunks, withoutUsage), { usage: chatStreamUsage, model: chatStreamModel });
        });
      }
    }

    it('holds bytes only until their event is complete', () => {
      const tap = createUsageTap('openai.chat', injected);
      const firstEvent = chatStream({ includeUsage: true }).split('\n\n')[0]!;
      assert.equal(tap.push(bytesOf(firstEvent.slice(0, 30))).length, 0);
      const sent = decoder.decode(tap.push(bytesOf(`${firstEvent.slice(30)}\n\ndata: {"id"`)));
      assert.equal(sent, `${firstEvent.replace(',"usage":null', '')}\n\n`);
    });

    it('sends a chunk that needs no change as the same object', () => {
      const tap = createUsageTap('openai.chat', injected);
      const chunk = bytesOf(': keep-alive\n\n');
      assert.equal(tap.push(chunk), chunk);
    });

    it('gives what arrived of a stream cut before its usage chunk, with no usage but the model', () => {
      const upstream = chatStream({ includeUsage: true });
      const cut = upstream.slice(0, upstream.indexOf('"finish_reason":"stop"'));
      const lastBoundary = cut.lastIndexOf('\n\n') + 2;
      const tap = createUsageTap('openai.chat', injected);
      const out = decoder.decode(runThrough(tap, randomChunks(bytesOf(cut), 5)));
      assert.equal(out, chatStream({ includeUsage: false }).slice(0, out.length));
      assert.equal(out.endsWith(cut.slice(lastBoundary)), true, 'the unterminated rest is flushed as it came');
      assert.deepEqual(tap.result(), { usage: null, model: chatStreamModel });
    });

    it('passes an event larger than the limit through unchanged, without holding it', () => {
      const huge = `data: {"choices":[{"delta":{"content":"${'x'.repeat(5000)}"}}],"usage":null}\n\n`;
      const text = huge + chatStream({ includeUsage: true });
      const tap = createUsageTap('openai.chat', { ...injected, maxEventBytes: 1024 });
      const chunks = randomChunks(bytesOf(text), 11, 600);
      const out = runThrough(tap, chunks);
      assert.equal(decoder.decode(out), huge + chatStream({ includeUsage: false }));
      assert.deepEqual(tap.result().usage, chatStreamUsage);
    });

    it('leaves a JSON error answer alone', () => {
      const result = tapped('openai.chat', injected, randomChunks(bytesOf(openAiErrorBody), 3), openAiErrorBody);
      assert.deepEqual(result, { usage: null, model: null });
    });
  });

  it('reports no usage for a stream that carried none', () => {
    const stream = chatStream({ includeUsage: false });
    assert.deepEqual(tapped('openai.chat', streamed, randomChunks(bytesOf(stream), 8), stream), { usage: null, model: chatStreamModel });
  });
});

describe('usage tap: OpenAI Responses API', () => {
  it('reads usage and model from a buffered answer', () => {
    assert.deepEqual(tapped('openai.responses', buffered, randomChunks(bytesOf(responsesBody), 4), responsesBody), {
      usage: responsesUsageExpected,
      model: 'o4-mini-2025-04-16',
    });
  });

  const stream = responsesStream();
  for (const { name, chunks } of chunkings(stream)) {
    it(`reads usage from response.completed, fed as ${name}`, () => {
      assert.deepEqual(tapped('openai.responses', streamed, chunks, stream), {
        usage: responsesUsageExpected,
        model: 'o4-mini-2025-04-16',
      });
    });
  }

  it('reads usage from response.incomplete, which is billed too', () => {
    const incomplete = responsesStream('response.incomplete');
    assert.deepEqual(tapped('openai.responses', streamed, [bytesOf(incomplete)], incomplete).usage, responsesUsageExpected);
  });

  it('knows the model but no usage while the response is still running', () => {
    const partial = stream.slice(0, stream.indexOf('event: response.completed') + 40);
    assert.deepEqual(tapped('openai.responses', streamed, randomChunks(bytesOf(partial), 2), partial), {
      usage: null,
      model: 'o4-mini-2025-04-16',
    });
  });

  it('hands every chunk back as the same object, at once', () => {
    assertSameChunksBack('openai.responses', streamed, stream);
  });
});

describe('usage tap: Anthropic Messages', () => {
  it('reads a buffered message with a 5-minute cache write', () => {
    assert.deepEqual(tapped('anthropic.messages', buffered, [bytesOf(anthropicMessageBody)], anthropicMessageBody), {
      model: 'claude-haiku-4-5-20251001',
      usage: {
        promptTokens: 25 + 1024,
        completionTokens: 13,
        cachedTokens: 0,
        cacheWriteTokens: 1024,
        cacheWrite1hTokens: 0,
        totalTokens: 25 + 1024 + 13,
      },
    });
  });

  for (const deltaRepeatsInput of [false, true]) {
    const stream = anthropicStream({ deltaRepeatsInput });
    for (const { name, chunks } of chunkings(stream)) {
      it(`reads cache reads, 5m and 1h writes and the final output (delta ${deltaRepeatsInput ? 'repeats input' : 'output only'}, ${name})`, () => {
        assert.deepEqual(tapped('anthropic.messages', streamed, chunks, stream), {
          usage: anthropicStreamUsage,
          model: 'claude-sonnet-4-5-20250929',
        });
      });
    }
  }

  it('gives the input side and the latest output count of a stream cut short', () => {
    const stream = anthropicStream({ deltaRepeatsInput: false });
    const cut = stream.slice(0, stream.indexOf('event: message_delta') + 30);
    const tap = createUsageTap('anthropic.messages', streamed);
    for (const chunk of randomChunks(bytesOf(cut), 17)) tap.push(chunk);
    // No end(): the client went away and the gateway stopped reading.
    assert.deepEqual(tap.result(), {
      model: 'claude-sonnet-4-5-20250929',
      usage: { ...anthropicStreamUsage, completionTokens: 1, totalTokens: anthropicStreamUsage.promptTokens + 1 },
    });
  });

  it('can be asked for its result at any point', () => {
    const tap = createUsageTap('anthropic.messages', streamed);
    assert.deepEqual(tap.result(), { usage: null, model: null });
    tap.push(bytesOf('event: ping\ndata: {"type": "ping"}\n\n'));
    assert.deepEqual(tap.result(), { usage: null, model: null });
  });

  it('reads events that come without event: lines', () => {
    const unnamed = anthropicStream({ deltaRepeatsInput: false }).replace(/^event: .*\n/gm, '');
    assert.deepEqual(tapped('anthropic.messages', streamed, randomChunks(bytesOf(unnamed), 6), unnamed).usage, anthropicStreamUsage);
  });

  it('hands every chunk back as the same object, at once', () => {
    assertSameChunksBack('anthropic.messages', streamed, anthropicStream({ deltaRepeatsInput: true }));
  });

  it('reports no usage for an error event stream', () => {
    const error = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    assert.deepEqual(tapped('anthropic.messages', streamed, [bytesOf(error)], error), { usage: null, model: null });
  });
});

describe('usage tap: OpenAI Embeddings', () => {
  it('reads usage and model from the answer', () => {
    const body = embeddingsBody(2, 8);
    assert.deepEqual(tapped('openai.embeddings', buffered, randomChunks(bytesOf(body), 21), body), {
      model: 'text-embedding-3-small',
      usage: { promptTokens: 16, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, totalTokens: 16 },
    });
  });

  it('reads usage after tens of megabytes of vectors, handing every chunk straight back', () => {
    const body = bytesOf(embeddingsBody(1000, 1536));
    assert.ok(body.length > 20 * 1024 * 1024);
    const tap = createUsageTap('openai.embeddings', buffered);
    for (let offset = 0; offset < body.length; offset += 64 * 1024) {
      const chunk = body.subarray(offset, offset + 64 * 1024);
      assert.equal(tap.push(chunk), chunk);
    }
    tap.end();
    assert.equal(tap.result().usage?.promptTokens, 8000);
  });
});

describe('usage tap: no usage', () => {
  it('is null for an error answer', () => {
    assert.deepEqual(tapped('openai.chat', buffered, [bytesOf(openAiErrorBody)], openAiErrorBody), { usage: null, model: null });
  });

  it('passes other endpoints through as the same chunks and reports nothing', () => {
    const text = chatStream({ includeUsage: true });
    assertSameChunksBack('other', streamed, text);
    assertSameChunksBack('other', { streaming: true, injectedIncludeUsage: true }, text);
    const tap = createUsageTap('other', buffered);
    runThrough(tap, [bytesOf(chatCompletionBody)]);
    assert.deepEqual(tap.result(), { usage: null, model: null });
  });

  it('never estimates: an answer without a usage member has none', () => {
    const body = JSON.stringify({ id: 'x', model: 'gpt-4o', choices: [{ message: { content: 'long text '.repeat(100) } }] });
    assert.deepEqual(tapped('openai.chat', buffered, [bytesOf(body)], body), { usage: null, model: 'gpt-4o' });
  });
});

describe('usage tap: the final event of a stream', () => {
  /** Whether the tap has seen the final event after each of the stream's events, fed one event at a time. */
  function finalSeenAfterEach(kind: EndpointKind, options: UsageTapOptions, stream: string): boolean[] {
    const tap = createUsageTap(kind, options);
    return stream
      .split(/(?<=\n\n)/)
      .filter((event) => event.length > 0)
      .map((event) => {
        tap.push(bytesOf(event));
        return tap.sawFinalEvent;
      });
  }

  const onlyLast = (seen: boolean[]) => seen.every((value, i) => value === (i === seen.length - 1));

  it('is [DONE] for Chat Completions, stripped of injected usage or not', () => {
    assert.ok(onlyLast(finalSeenAfterEach('openai.chat', streamed, chatStream({ includeUsage: true }))));
    assert.ok(
      onlyLast(finalSeenAfterEach('openai.chat', { streaming: true, injectedIncludeUsage: true }, chatStream({ includeUsage: true }))),
    );
  });

  it('is message_stop for Anthropic Messages', () => {
    assert.ok(onlyLast(finalSeenAfterEach('anthropic.messages', streamed, anthropicStream({ deltaRepeatsInput: false }))));
  });

  it('is response.completed or response.incomplete for the Responses API', () => {
    for (const terminal of ['response.completed', 'response.incomplete'] as const) {
      const seen = finalSeenAfterEach('openai.responses', streamed, responsesStream(terminal));
      assert.equal(seen.at(-1), true, terminal);
      assert.equal(seen.at(0), false, 'response.created is not the end');
    }
  });

  it('is never set for a buffered answer, whose end the relay sees itself', () => {
    const tap = createUsageTap('openai.chat', buffered);
    tap.push(bytesOf(chatCompletionBody));
    assert.equal(tap.sawFinalEvent, false);
  });
});
