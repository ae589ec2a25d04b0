import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LookoutConfigError, parseLookoutConfig } from '../../lambdas/contract/lookout-config.js';
import { configQuotaDefinitions } from '../../lambdas/contract/quota-definition.js';

const freeDaily = {
  name: 'free-daily',
  unit: 'usd',
  limit: 1,
  windowSeconds: 86400,
  scope: 'user',
  match: { properties: { tier: 'free' } },
} as const;

function configError(input: unknown): string {
  try {
    parseLookoutConfig(input);
  } catch (error) {
    assert.ok(error instanceof LookoutConfigError, `expected LookoutConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the config to be rejected');
}

describe('config quotas', () => {
  it('has none unless configured', () => {
    assert.deepEqual(parseLookoutConfig({}).quotas, []);
  });

  it('takes "each free user gets $1 a day" as one quota, with the id config:<name>', () => {
    const { quotas } = parseLookoutConfig({ quotas: [freeDaily] });
    assert.deepEqual(configQuotaDefinitions(quotas), [{ ...freeDaily, id: 'config:free-daily', source: 'config' }]);
  });

  it('refuses a second quota of the same name, naming it and the first', () => {
    const message = configError({ quotas: [freeDaily, { ...freeDaily, limit: 2 }, { ...freeDaily, name: 'other' }, freeDaily] });
    assert.match(
      message,
      /^ {2}quotas\[1\]\.name: must be unique: quotas\[0\] is named so too \(a quota's id is config:<name>\), got "free-daily"$/m,
    );
    assert.match(message, /^ {2}quotas\[3\]\.name: must be unique: quotas\[0\] is named so too/m);
    assert.doesNotMatch(message, /quotas\[2\]/);
  });

  it('names each bad field of a quota, what it must be and what it was', () => {
    const message = configError({
      quotas: [
        { ...freeDaily, unit: 'cents' },
        { ...freeDaily, name: 'b', unit: 'requests', limit: 2.5 },
        { ...freeDaily, name: 'c', scope: 'team' },
        { ...freeDaily, name: 'd', windowSeconds: 0 },
      ],
    });
    assert.match(message, /^ {2}quotas\[0\]\.unit: must be "requests", "usd" or "tokens", got "cents"$/m);
    assert.match(message, /^ {2}quotas\[1\]\.limit: must be a whole number of requests, got 2\.5$/m);
    assert.match(message, /^ {2}quotas\[2\]\.scope: must be "user", "key" or "property:<name>"/m);
    assert.match(message, /^ {2}quotas\[3\]\.windowSeconds: must be whole seconds from 1 to 31536000, got 0$/m);
  });

  it('names a misspelt field, in the quota or in its match, listing the fields there are', () => {
    const message = configError({
      quotas: [
        { ...freeDaily, windowSecs: 60 },
        { ...freeDaily, name: 'b', match: { property: { tier: 'free' } } },
      ],
    });
    assert.match(
      message,
      /^ {2}quotas\[0\]\.windowSecs: is not a quota field; the fields are name, unit, limit, windowSeconds, scope, match$/m,
    );
    assert.match(message, /^ {2}quotas\[1\]\.match\.property: is not a field of match; match has only properties$/m);
  });
});
