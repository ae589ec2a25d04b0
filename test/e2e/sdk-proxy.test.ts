/**
 * The official OpenAI and Anthropic SDKs, pointed at the local stack exactly as the README says,
 * against a loopback mock provider (the real APIs are out of reach in tests).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { MOCK_TEXT, MOCK_TEXT_PIECES } from '../../lambdas/demo/mock-provider.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';

let fx: StackFixture;
let appKey: string;

before(async () => {
  fx = await startStackFixture();
  appKey = await fx.createKey('app');
});
after(() => fx.close());

function openai(): OpenAI {
  return new OpenAI({
    apiKey: 'sk-provider-secret',
    baseURL: `${fx.url}/openai/v1`,
    defaultHeaders: { 'Lookout-Auth': `Bearer ${appKey}` },
    maxRetries: 0,
  });
}

function anthropic(): Anthropic {
  return new Anthropic({
    apiKey: 'sk-ant-provider-secret',
    baseURL: `${fx.url}/anthropic`,
    defaultHeaders: { 'Lookout-Auth': `Bearer ${appKey}` },
    maxRetries: 0,
  });
}

describe('openai SDK through the gateway', () => {
  test('a buffered chat completion comes back as the provider sent it, with a Lookout-Id', async () => {
    const { data, response } = await openai()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse();
    assert.equal(data.choices[0]!.message.content, MOCK_TEXT);
    assert.equal(data.usage?.prompt_tokens, 17);
    assert.match(response.headers.get('lookout-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(response.headers.get('helicone-id'), response.headers.get('lookout-id'));
    assert.equal(response.headers.get('x-request-id'), 'req_mock_openai');
    const upstream = fx.mock.lastRequest;
    assert.equal(upstream.path, '/v1/chat/completions');
    assert.equal(upstream.headers.authorization, 'Bearer sk-provider-secret');
    assert.equal(upstream.headers['lookout-auth'], undefined, 'the gateway key is not sent to the provider');
  });

  test('a streamed chat completion reaches the client before the provider has sent its last event', async () => {
    const gate = fx.mock.holdLastEvent();
    const stream = await openai().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
    });
    let text = '';
    let sawFirstChunkEarly = false;
    for await (const chunk of stream) {
      if (!sawFirstChunkEarly) {
        sawFirstChunkEarly = !gate.lastEventSent;
        gate.release();
      }
      text += chunk.choices[0]?.delta.content ?? '';
    }
    assert.ok(sawFirstChunkEarly, 'first chunk arrived while the mock still held its last event');
    assert.equal(text, MOCK_TEXT);
  });
});

describe('anthropic SDK through the gateway', () => {
  test('a buffered message comes back as the provider sent it', async () => {
    const message = await anthropic().messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    assert.deepEqual(message.content, [{ type: 'text', text: MOCK_TEXT }]);
    assert.equal(message.usage.input_tokens, 17);
    const upstream = fx.mock.lastRequest;
    assert.equal(upstream.path, '/v1/messages');
    assert.equal(upstream.headers.authorization, 'Bearer sk-ant-provider-secret', 'provider credentials pass through untouched');
    assert.ok(upstream.headers['anthropic-version'], 'provider headers pass through');
  });

  test('a streamed message reaches the client before the provider has sent its last event', async () => {
    const gate = fx.mock.holdLastEvent();
    const stream = anthropic().messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    const deltas: string[] = [];
    let sawFirstEventEarly: boolean | undefined;
    for await (const event of stream) {
      sawFirstEventEarly ??= !gate.lastEventSent;
      gate.release();
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') deltas.push(event.delta.text);
    }
    assert.equal(sawFirstEventEarly, true, 'first event arrived while the mock still held its last event');
    assert.deepEqual(deltas, MOCK_TEXT_PIECES);
    const final = await stream.finalMessage();
    assert.equal(final.usage.output_tokens, 5);
  });
});

describe('Helicone headers Lookout does not act on yet', () => {
  test('are accepted, and the answer names them in Lookout-Ignored-Headers', async () => {
    const { data, response } = await openai()
      .chat.completions.create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'Helicone-Retry-Enabled': 'true', 'Helicone-Posthog-Key': 'phc_x', 'Helicone-User-Id': 'u-1' } },
      )
      .withResponse();
    assert.equal(data.choices[0]!.message.content, MOCK_TEXT);
    assert.equal(response.headers.get('lookout-ignored-headers'), 'helicone-posthog-key, helicone-retry-enabled');
    assert.equal(fx.mock.lastRequest.headers['helicone-retry-enabled'], undefined, 'not forwarded to the provider');
  });

  test('a request with none of them gets no Lookout-Ignored-Headers', async () => {
    const { response } = await openai()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    assert.equal(response.headers.get('lookout-ignored-headers'), null);
  });
});

describe('an SDK base URL that misses the provider prefix', () => {
  test('the OpenAI SDK at <lookout>/v1 gets a 404 that names /openai/v1', async () => {
    const misdirected = new OpenAI({
      apiKey: 'sk-provider-secret',
      baseURL: `${fx.url}/v1`,
      defaultHeaders: { 'Lookout-Auth': `Bearer ${appKey}` },
      maxRetries: 0,
    });
    const error = await misdirected.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).then(
      () => assert.fail('the query API does not proxy'),
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof OpenAI.NotFoundError);
    assert.match(error.message, /\/openai\/v1/);
    assert.match(error.message, /\/anthropic/);
  });

  test('the Anthropic SDK at the bare <lookout> URL gets a 404 that names /anthropic', async () => {
    const misdirected = new Anthropic({ apiKey: 'sk-ant-provider-secret', baseURL: fx.url, maxRetries: 0 });
    const error = await misdirected.messages
      .create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => assert.fail('the query API does not proxy'),
        (failure: unknown) => failure,
      );
    assert.ok(error instanceof Anthropic.NotFoundError);
    assert.match(error.message, /<lookout>\/anthropic for the Anthropic SDK/);
  });
});
