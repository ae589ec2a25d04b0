import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QuotaDefinition } from '../../../lambdas/contract/quota-definition.js';
import { parseRateLimitPolicy } from '../../../lambdas/core/headers/rate-limit-policy.js';
import { type ApplicableLimitsInput, applicableLimits } from '../../../lambdas/core/quota/applicable-limits.js';
import { policyCounterKey, quotaCounterKey } from '../../../lambdas/core/quota/counter-keys.js';
import { assertInvalidHeader } from '../headers/assert-invalid-header.js';

const quota = (overrides: Partial<QuotaDefinition> & Pick<QuotaDefinition, 'name'>): QuotaDefinition => ({
  id: `config:${overrides.name}`,
  source: 'config',
  unit: 'requests',
  limit: 100,
  windowSeconds: 3600,
  scope: 'user',
  ...overrides,
});

const policy = (value: string, headerName = 'Lookout-RateLimit-Policy') => ({
  policy: parseRateLimitPolicy({ name: headerName, value }),
  headerName,
});

const request = (overrides: Partial<ApplicableLimitsInput> = {}): ApplicableLimitsInput => ({
  quotas: [],
  policy: null,
  keyHash: 'hash-of-web-prod',
  keyName: 'web-prod',
  userId: 'alice',
  properties: {},
  ...overrides,
});

describe('applicableLimits', () => {
  it('is empty without quotas or a policy', () => {
    assert.deepEqual(applicableLimits(request()), []);
  });

  it('checks a user quota per user, named by the quota and counted in its own unit', () => {
    const freeDaily = quota({ name: 'free-daily', unit: 'usd', limit: 1, windowSeconds: 86_400 });
    assert.deepEqual(applicableLimits(request({ quotas: [freeDaily] })), [
      {
        id: 'config:free-daily',
        kind: 'quota',
        label: 'free-daily',
        unit: 'usd',
        window: { counterKey: quotaCounterKey('config:free-daily', 'alice'), windowSeconds: 86_400, limit: 1_000_000_000 },
        segment: { kind: 'user' },
        scopeValue: 'alice',
      },
    ]);
  });

  it('gives another user another counter', () => {
    const [alice] = applicableLimits(request({ quotas: [quota({ name: 'q' })] }));
    const [bob] = applicableLimits(request({ quotas: [quota({ name: 'q' })], userId: 'bob' }));
    assert.notEqual(alice?.window.counterKey, bob?.window.counterKey);
  });

  it('does not apply a user quota to a request without a user', () => {
    assert.deepEqual(applicableLimits(request({ quotas: [quota({ name: 'q' })], userId: null })), []);
  });

  it('counts a key quota by the key hash, for all its users, and names the key by its name', () => {
    const keyQuota = quota({ name: 'team', scope: 'key', unit: 'tokens', limit: 1_000_000 });
    const [forAlice] = applicableLimits(request({ quotas: [keyQuota] }));
    const [forBob] = applicableLimits(request({ quotas: [keyQuota], userId: 'bob' }));
    const [anonymous] = applicableLimits(request({ quotas: [keyQuota], userId: null }));
    assert.equal(forAlice?.window.counterKey, quotaCounterKey('config:team', 'hash-of-web-prod'));
    assert.equal(forBob?.window.counterKey, forAlice?.window.counterKey);
    assert.equal(anonymous?.window.counterKey, forAlice?.window.counterKey);
    assert.deepEqual(forAlice?.segment, { kind: 'global' });
    assert.equal(forAlice?.scopeValue, 'web-prod');
    assert.equal(forAlice?.window.limit, 1_000_000);
  });

  it('counts a property quota per value of the property, and skips a request without it', () => {
    const perOrg = quota({ name: 'org', scope: 'property:organization' });
    const [acme] = applicableLimits(request({ quotas: [perOrg], properties: { organization: 'acme' } }));
    assert.equal(acme?.window.counterKey, quotaCounterKey('config:org', 'acme'));
    assert.deepEqual(acme?.segment, { kind: 'property', propertyName: 'organization' });
    assert.equal(acme?.scopeValue, 'acme');
    assert.deepEqual(applicableLimits(request({ quotas: [perOrg], properties: { team: 'acme' } })), []);
  });

  it('applies a quota only when every property of its match has the same value', () => {
    const free = quota({ name: 'free', match: { properties: { tier: 'free', region: 'eu' } } });
    assert.equal(applicableLimits(request({ quotas: [free], properties: { tier: 'free', region: 'eu', app: 'x' } })).length, 1);
    assert.equal(applicableLimits(request({ quotas: [free], properties: { tier: 'free' } })).length, 0);
    assert.equal(applicableLimits(request({ quotas: [free], properties: { tier: 'Free', region: 'eu' } })).length, 0);
    assert.equal(applicableLimits(request({ quotas: [quota({ name: 'all', match: { properties: {} } })] })).length, 1);
  });

  it('matches property names whatever their case in the quota, as headers are', () => {
    const free = quota({ name: 'free', match: { properties: { Tier: 'free' } } });
    assert.equal(applicableLimits(request({ quotas: [free], properties: { tier: 'free' } })).length, 1);
  });

  it('does not take an inherited object key for a property', () => {
    const perProto = quota({ name: 'p', scope: 'property:constructor' });
    assert.deepEqual(applicableLimits(request({ quotas: [perProto] })), []);
  });

  it('converts a USD limit to whole nano-dollars', () => {
    const [check] = applicableLimits(request({ quotas: [quota({ name: 'q', unit: 'usd', limit: 0.3 })] }));
    assert.equal(check?.window.limit, 300_000_000);
  });

  it('checks every quota that applies and then the policy, in that order', () => {
    const checks = applicableLimits(
      request({
        quotas: [quota({ name: 'a' }), quota({ name: 'b', match: { properties: { tier: 'paid' } } }), quota({ name: 'c', scope: 'key' })],
        policy: policy('5;w=60;s=user'),
        properties: { tier: 'free' },
      }),
    );
    assert.deepEqual(
      checks.map((check) => check.id),
      ['config:a', 'config:c', 'policy'],
    );
  });

  describe('the policy', () => {
    it('is named by its canonical text and counted per user', () => {
      const [check] = applicableLimits(request({ policy: policy(' 5 ; S=User ; W=60 ') }));
      assert.deepEqual(check, {
        id: 'policy',
        kind: 'policy',
        label: '5;w=60;u=request;s=user',
        unit: 'requests',
        window: { counterKey: policyCounterKey('hash-of-web-prod', '5;w=60;u=request;s=user', 'alice'), windowSeconds: 60, limit: 5 },
        segment: { kind: 'user' },
        scopeValue: 'alice',
      });
    });

    it('shares one counter between two spellings of one policy, never between two keys', () => {
      const [a] = applicableLimits(request({ policy: policy('5;w=60;s=user') }));
      const [b] = applicableLimits(request({ policy: policy('5;s=USER;u=request;w=60') }));
      const [otherKey] = applicableLimits(request({ policy: policy('5;w=60;s=user'), keyHash: 'hash-of-batch' }));
      assert.equal(a?.window.counterKey, b?.window.counterKey);
      assert.notEqual(a?.window.counterKey, otherKey?.window.counterKey);
    });

    it('without a segment counts per gateway key, named by the key name', () => {
      const [check] = applicableLimits(request({ policy: policy('1000;w=3600'), userId: null }));
      assert.equal(check?.window.counterKey, policyCounterKey('hash-of-web-prod', '1000;w=3600;u=request', 'hash-of-web-prod'));
      assert.deepEqual(check?.segment, { kind: 'global' });
      assert.equal(check?.scopeValue, 'web-prod');
    });

    it('counts per property value', () => {
      const [check] = applicableLimits(request({ policy: policy('300;w=1800;s=Feature'), properties: { feature: 'search' } }));
      assert.equal(check?.window.counterKey, policyCounterKey('hash-of-web-prod', '300;w=1800;u=request;s=feature', 'search'));
      assert.equal(check?.scopeValue, 'search');
    });

    it('converts cents to nano-dollars and keeps tokens as they are', () => {
      const [cents] = applicableLimits(request({ policy: policy('10;w=900;u=cents') }));
      const [fraction] = applicableLimits(request({ policy: policy('0.0001;w=900;u=cents') }));
      const [tokens] = applicableLimits(request({ policy: policy('50000;w=900;u=tokens') }));
      assert.deepEqual([cents?.unit, cents?.window.limit], ['usd', 100_000_000]);
      assert.equal(fraction?.window.limit, 1000);
      assert.deepEqual([tokens?.unit, tokens?.window.limit], ['tokens', 50_000]);
    });

    it('is a 400 naming the header, as the client spelled it, when the request has no user', () => {
      for (const headerName of ['Lookout-RateLimit-Policy', 'Helicone-RateLimit-Policy']) {
        const prefix = headerName.split('-')[0];
        assertInvalidHeader(
          () => applicableLimits(request({ policy: policy('5;w=60;s=user', headerName), userId: null })),
          headerName,
          new RegExp(`s=user.*${prefix}-User-Id`),
        );
      }
    });

    it('is a 400 naming the header when the request lacks the property it counts by', () => {
      assertInvalidHeader(
        () =>
          applicableLimits(request({ policy: policy('5;w=60;s=organization', 'Helicone-RateLimit-Policy'), properties: { team: 'a' } })),
        'Helicone-RateLimit-Policy',
        /s=organization.*Helicone-Property-organization/,
      );
    });
  });
});
