import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinUpstreamUrl } from '../../lambdas/core/routing/gateway-route.js';
import { parseRuntimeConfig } from '../../lambdas/core/runtime-config.js';

const runtimeConfig = (config: unknown) => ({ LOOKOUT_RUNTIME_CONFIG: JSON.stringify(config) });

function errorMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof Error);
    return error.message;
  }
  assert.fail('expected an error');
}

describe('provider base URLs', () => {
  it('refuses an override without a scheme, naming the variable and the value', () => {
    const message = errorMessage(() => parseRuntimeConfig({ LOOKOUT_OPENAI_BASE_URL: 'localhost:1234' }));
    assert.equal(
      message,
      'LOOKOUT_OPENAI_BASE_URL must be an http(s) URL such as https://api.groq.com/openai or http://127.0.0.1:1234, got "localhost:1234"',
    );
    assert.doesNotMatch(message, /\n/, 'one line, as npm start prints it');
  });

  it('refuses an override that is not http(s)', () => {
    assert.match(
      errorMessage(() => parseRuntimeConfig({ LOOKOUT_ANTHROPIC_BASE_URL: 'ftp://mock.example' })),
      /^LOOKOUT_ANTHROPIC_BASE_URL must be an http\(s\) URL.*got "ftp:\/\/mock\.example"$/,
    );
  });

  it('names the override of a configured provider with a dash in its name', () => {
    const env = {
      ...runtimeConfig({ providers: { 'corp-openai': { baseUrl: 'https://llm.corp.example/openai' } } }),
      LOOKOUT_CORP_OPENAI_BASE_URL: 'nope',
    };
    assert.match(
      errorMessage(() => parseRuntimeConfig(env)),
      /^LOOKOUT_CORP_OPENAI_BASE_URL must be/,
    );
  });

  it('drops a trailing /v1 from an override, so OPENAI_BASE_URL-style values do not reach /v1/v1', () => {
    for (const override of ['http://127.0.0.1:1234/v1', 'http://127.0.0.1:1234/v1/']) {
      const { baseUrl } = parseRuntimeConfig({ LOOKOUT_OPENAI_BASE_URL: override }).providers.openai!;
      assert.equal(joinUpstreamUrl(baseUrl, '/v1/chat/completions', '').href, 'http://127.0.0.1:1234/v1/chat/completions', override);
    }
  });

  it('keeps a base path, dropping only its trailing /v1', () => {
    const config = parseRuntimeConfig(
      runtimeConfig({
        providers: { groq: { baseUrl: 'https://api.groq.com/openai/v1' }, proxy: { baseUrl: 'https://llm.corp.example/openai' } },
      }),
    );
    assert.equal(joinUpstreamUrl(config.providers.groq!.baseUrl, '/v1/models', '').href, 'https://api.groq.com/openai/v1/models');
    assert.equal(config.providers.proxy!.baseUrl, 'https://llm.corp.example/openai');
  });

  it('keeps the query of a base URL when it drops /v1', () => {
    const config = parseRuntimeConfig(
      runtimeConfig({ providers: { azure: { baseUrl: 'https://corp.openai.azure.com/openai/v1?api-version=2024-10-21' } } }),
    );
    assert.equal(
      joinUpstreamUrl(config.providers.azure!.baseUrl, '/v1/chat/completions', 'limit=2').href,
      'https://corp.openai.azure.com/openai/v1/chat/completions?api-version=2024-10-21&limit=2',
    );
  });

  it('leaves a base URL without /v1 exactly as written', () => {
    const config = parseRuntimeConfig(runtimeConfig({ providers: { openai: { baseUrl: 'https://proxy.example.com' } } }));
    assert.equal(config.providers.openai!.baseUrl, 'https://proxy.example.com');
  });

  it('gives the same base URL when an already parsed config is parsed again', () => {
    const once = parseRuntimeConfig(runtimeConfig({ providers: { local: { baseUrl: 'http://127.0.0.1:1234/v1' } } }));
    const twice = parseRuntimeConfig(runtimeConfig(once));
    assert.equal(twice.providers.local!.baseUrl, once.providers.local!.baseUrl);
  });
});

describe('LOOKOUT_RUNTIME_CONFIG errors', () => {
  it('lists each bad field by dotted path with what is allowed and what it got', () => {
    const message = errorMessage(() =>
      parseRuntimeConfig(
        runtimeConfig({
          providers: { mistral: { baseUrl: 'localhost:1234' }, OpenAI: { baseUrl: 'https://api.openai.com' } },
          keyCacheTtlMs: -1,
          prices: [{ provider: 'openai', model: 'gpt-4o', input: 2.5 }],
        }),
      ),
    );
    assert.equal(message.split('\n')[0], 'LOOKOUT_RUNTIME_CONFIG is invalid:');
    assert.match(message, /^ {2}providers\.mistral\.baseUrl: must be an http\(s\) URL .*, got "localhost:1234"$/m);
    assert.match(message, /^ {2}providers\.OpenAI: a provider name must be lower-case letters, digits and '-', starting with a letter$/m);
    assert.match(message, /^ {2}keyCacheTtlMs: must be a whole number of milliseconds, 0 or more, got -1$/m);
    assert.match(message, /^ {2}prices\[0\]\.output: must be USD per million tokens, a number 0 or more; it is missing$/m);
  });

  it('accepts only origins on the target URL allowlist, which is compared by origin', () => {
    const message = errorMessage(() =>
      parseRuntimeConfig(runtimeConfig({ targetUrlAllowlist: ['https://api.example.com/v1', 'localhost:1234'] })),
    );
    assert.match(message, /^ {2}targetUrlAllowlist\[0\]: must be an http\(s\) origin .*no path.*, got "https:\/\/api\.example\.com\/v1"$/m);
    assert.match(message, /^ {2}targetUrlAllowlist\[1\]: must be an http\(s\) origin/m);
    assert.deepEqual(
      parseRuntimeConfig(runtimeConfig({ targetUrlAllowlist: ['http://127.0.0.1:8089', 'https://api.example.com/'] })).targetUrlAllowlist,
      ['http://127.0.0.1:8089', 'https://api.example.com/'],
    );
  });
});
