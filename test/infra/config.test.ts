import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRuntimeConfig } from '../../lambdas/core/runtime-config.js';
import {
  defineConfig,
  loadLookoutConfig,
  LookoutConfigError,
  parseLookoutConfig,
  runtimeConfigFrom,
} from '../../lib/config.js';

function configError(input: unknown): string {
  try {
    parseLookoutConfig(input);
  } catch (error) {
    assert.ok(error instanceof LookoutConfigError, `expected LookoutConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the config to be rejected');
}

describe('lookout config', () => {
  it('an empty config deploys openai and anthropic against the real APIs with the documented defaults', () => {
    const config = parseLookoutConfig(defineConfig({}));
    assert.deepEqual(config.providers, {
      openai: { baseUrl: 'https://api.openai.com' },
      anthropic: { baseUrl: 'https://api.anthropic.com' },
    });
    assert.equal(config.retentionDays, 30);
    assert.equal(config.logRetentionDays, 30);
    assert.equal(config.stageName, 'prod');
    assert.deepEqual(config.targetUrlAllowlist, []);
  });

  it('added OpenAI-compatible providers join the defaults, and a default can be re-pointed', () => {
    const config = parseLookoutConfig({
      providers: { groq: { baseUrl: 'https://api.groq.com/openai' }, openai: { baseUrl: 'https://proxy.example.com' } },
    });
    assert.deepEqual(Object.keys(config.providers).sort(), ['anthropic', 'groq', 'openai']);
    assert.equal(config.providers.openai?.baseUrl, 'https://proxy.example.com');
  });

  it('names the field of every mistake', () => {
    const message = configError({
      providers: { local: { baseUrl: 'not a url' } },
      retentionDays: -1,
      logRetentionDays: 10,
      maxBodyBytes: 'big',
    });
    assert.match(message, /providers\.local\.baseUrl/);
    assert.match(message, /retentionDays/);
    assert.match(message, /logRetentionDays/);
    assert.match(message, /maxBodyBytes/);
  });

  it('rejects a misspelt field instead of silently ignoring it', () => {
    assert.match(configError({ retentionDay: 7 }), /retentionDay/);
  });

  it('rejects a provider named after a built-in route', () => {
    const message = configError({ providers: { gateway: { baseUrl: 'https://example.com' } } });
    assert.match(message, /providers\.gateway/);
    assert.match(message, /reserved/);
  });

  it('rejects an upstream timeout the 15-minute gateway Lambda could never honour', () => {
    assert.match(configError({ upstreamTimeoutMs: 20 * 60 * 1000 }), /upstreamTimeoutMs/);
  });

  it('rejects a log retention CloudWatch does not offer', () => {
    const message = configError({ logRetentionDays: 10 });
    assert.match(message, /at logRetentionDays/);
    assert.match(message, /values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30/);
  });

  it('rejects a runtime config too large for a Lambda environment variable', () => {
    const prices = Array.from({ length: 60 }, (_, i) => ({ provider: 'openai', model: `model-${i}-with-a-long-name`, input: 1, output: 2 }));
    assert.match(configError({ prices }), /Lambda environment/);
  });

  it('gives the Lambdas a runtime config that their own loader accepts, without deployment-only fields', () => {
    const config = parseLookoutConfig({
      providers: { groq: { baseUrl: 'https://api.groq.com/openai' } },
      targetUrlAllowlist: ['https://llm.internal.example.com'],
      prices: [{ provider: 'groq', model: 'llama-3.3-70b', input: 0.59, output: 0.79 }],
      logRetentionDays: 14,
      stageName: 'live',
    });
    const json = JSON.stringify(runtimeConfigFrom(config));
    assert.doesNotMatch(json, /logRetentionDays|stageName/);
    const runtime = parseRuntimeConfig({ LOOKOUT_RUNTIME_CONFIG: json });
    assert.equal(runtime.providers.groq?.baseUrl, 'https://api.groq.com/openai');
    assert.equal(runtime.providers.openai?.baseUrl, 'https://api.openai.com');
    assert.deepEqual(runtime.targetUrlAllowlist, ['https://llm.internal.example.com']);
    assert.equal(runtime.prices[0]?.model, 'llama-3.3-70b');
  });

  it('loads the repository lookout.config.ts', async () => {
    const config = await loadLookoutConfig();
    assert.ok(config.providers.openai);
    assert.ok(config.providers.anthropic);
  });

  it('names the file when a config file is invalid, missing or has no default export', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-config-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const invalid = join(dir, 'invalid.config.mts');
    writeFileSync(invalid, 'export default { stageName: "has spaces" };\n');
    await assert.rejects(loadLookoutConfig(invalid), (error: Error) => {
      assert.ok(error instanceof LookoutConfigError);
      assert.ok(error.message.includes(invalid));
      assert.match(error.message, /stageName/);
      return true;
    });
    const noDefault = join(dir, 'no-default.config.mts');
    writeFileSync(noDefault, 'export const config = {};\n');
    await assert.rejects(loadLookoutConfig(noDefault), /no default export/);
    await assert.rejects(loadLookoutConfig(join(dir, 'missing.config.ts')), /not found/);
  });
});
