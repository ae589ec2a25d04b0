import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadLookoutConfig } from '../../lambdas/contract/lookout-config-file.js';
import { LookoutConfigError } from '../../lambdas/contract/lookout-config.js';

describe('lookout config file', () => {
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
      assert.equal(
        error.message,
        `${invalid} is invalid:\n  stageName: must be 1 to 128 letters, digits, \`-\` or \`_\`, got "has spaces"`,
      );
      return true;
    });
    const noDefault = join(dir, 'no-default.config.mts');
    writeFileSync(noDefault, 'export const config = {};\n');
    await assert.rejects(
      loadLookoutConfig(noDefault),
      (error: Error) => error instanceof LookoutConfigError && error.message.startsWith(`${noDefault} has no default export`),
    );
    const broken = join(dir, 'broken.config.mts');
    writeFileSync(broken, 'export default { stageName: };\n');
    await assert.rejects(
      loadLookoutConfig(broken),
      (error: Error) => error instanceof LookoutConfigError && error.message.startsWith(`${broken} could not be loaded: `),
    );
    const missing = join(dir, 'missing.config.ts');
    await assert.rejects(
      loadLookoutConfig(missing),
      (error: Error) => error instanceof LookoutConfigError && error.message.startsWith(`${missing} not found`),
    );
  });

  it('names a config file under the working directory as a relative path', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-config-'));
    const cwd = process.cwd();
    t.after(() => {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    });
    writeFileSync(join(dir, 'lookout.config.mts'), 'export default { providers: { mistral: { baseUrl: "localhost:1234" } } };\n');
    process.chdir(dir);
    await assert.rejects(loadLookoutConfig(join(dir, 'lookout.config.mts')), {
      message:
        'lookout.config.mts is invalid:\n  providers.mistral.baseUrl: must be an http(s) URL such as https://api.groq.com/openai or http://127.0.0.1:1234, got "localhost:1234"',
    });
  });
});
