import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LookoutError } from '../../../lambdas/core/lookout-error.js';
import type { ReserveResult } from '../../../lambdas/core/ports/quota-counters.js';
import type { LimitCheck } from '../../../lambdas/core/quota/applicable-limits.js';
import { type CheckOutcome, quotaAnswer } from '../../../lambdas/core/quota/quota-headers.js';

const NOW = 1_800_000_000_000;

const freeDaily: LimitCheck = {
  id: 'config:free-daily',
  kind: 'quota',
  label: 'free-daily',
  unit: 'usd',
  window: { counterKey: 'q:free', windowSeconds: 86_400, limit: 1_000_000_000 },
  segment: { kind: 'user' },
  scopeValue: 'alice',
};

const userPolicy: LimitCheck = {
  id: 'policy',
  kind: 'policy',
  label: '5;w=60;u=request;s=user',
  unit: 'requests',
  window: { counterKey: 'p:x', windowSeconds: 60, limit: 5 },
  segment: { kind: 'user' },
  scopeValue: 'alice',
};

const orgTokens: LimitCheck = {
  id: 'config:org-tokens',
  kind: 'quota',
  label: 'org-tokens',
  unit: 'tokens',
  window: { counterKey: 'q:org', windowSeconds: 3600, limit: 100_000 },
  segment: { kind: 'property', propertyName: 'organization' },
  scopeValue: 'acme',
};

const keyRequests: LimitCheck = {
  id: 'config:team',
  kind: 'quota',
  label: 'team',
  unit: 'requests',
  window: { counterKey: 'q:team', windowSeconds: 60, limit: 1000 },
  segment: { kind: 'global' },
  scopeValue: 'web-prod',
};

const reservation = { counterKey: 'k', windowSeconds: 60, subWindowStartMs: NOW, amount: 1 };
const granted = (remaining: number, resetAtMs = NOW + 60_000): ReserveResult => ({ granted: true, reservation, remaining, resetAtMs });
const refused = (remaining: number, resetAtMs: number): ReserveResult => ({ granted: false, remaining, resetAtMs });
const outcome = (check: LimitCheck, result: ReserveResult, amount = 1): CheckOutcome => ({ check, amount, result });

function refusal(outcomes: CheckOutcome[]) {
  const answer = quotaAnswer(outcomes, NOW);
  assert.equal(answer.granted, false);
  if (answer.granted) throw new Error('unreachable');
  assert.ok(answer.error instanceof LookoutError);
  assert.equal(answer.error.status, 429);
  return answer;
}

describe('quotaAnswer', () => {
  it('sends no header when no limit applies', () => {
    assert.deepEqual(quotaAnswer([], NOW), { granted: true, headers: {} });
  });

  it("gives a policy's limit, what remains and the policy in Helicone's form, with Lookout and Helicone names", () => {
    assert.deepEqual(quotaAnswer([outcome(userPolicy, granted(3))], NOW), {
      granted: true,
      headers: {
        'lookout-ratelimit-limit': '5',
        'lookout-ratelimit-remaining': '3',
        'lookout-ratelimit-policy': '5;w=60;u=request;s=user',
        'helicone-ratelimit-limit': '5',
        'helicone-ratelimit-remaining': '3',
        'helicone-ratelimit-policy': '5;w=60;u=request;s=user',
      },
    });
  });

  it('gives a usd quota in cents, fractions written out', () => {
    const { headers } = quotaAnswer([outcome(freeDaily, granted(123_456_789), 1000)], NOW);
    assert.equal(headers['lookout-ratelimit-limit'], '100');
    assert.equal(headers['lookout-ratelimit-remaining'], '12.3456789');
    assert.equal(headers['helicone-ratelimit-policy'], '100;w=86400;u=cents;s=user');
    assert.equal(quotaAnswer([outcome(freeDaily, granted(1))], NOW).headers['lookout-ratelimit-remaining'], '0.0000001');
  });

  it('names a property segment by its property, and a key quota by no segment', () => {
    assert.equal(
      quotaAnswer([outcome(orgTokens, granted(10))], NOW).headers['lookout-ratelimit-policy'],
      '100000;w=3600;u=tokens;s=organization',
    );
    assert.equal(quotaAnswer([outcome(keyRequests, granted(10))], NOW).headers['lookout-ratelimit-policy'], '1000;w=60;u=request');
  });

  it('speaks for the check with the least left relative to its limit', () => {
    // Half the dollars left, but only one request in five.
    const { headers } = quotaAnswer(
      [outcome(freeDaily, granted(500_000_000)), outcome(userPolicy, granted(1)), outcome(keyRequests, granted(900))],
      NOW,
    );
    assert.equal(headers['lookout-ratelimit-policy'], '5;w=60;u=request;s=user');
    assert.equal(headers['lookout-ratelimit-remaining'], '1');
  });

  it('adds no reset or Retry-After while every check grants', () => {
    const { headers } = quotaAnswer([outcome(userPolicy, granted(0))], NOW);
    assert.equal(headers['retry-after'], undefined);
    assert.equal(headers['lookout-ratelimit-reset'], undefined);
  });

  describe('a refusal', () => {
    it('is rate_limited for a policy, naming it and the user, with the wait in whole seconds rounded up', () => {
      const answer = refusal([outcome(userPolicy, refused(0, NOW + 41_200))]);
      assert.equal(answer.error.code, 'rate_limited');
      assert.equal(
        answer.error.message,
        'rate limit 5;w=60;u=request;s=user (5 requests per 60 s per user) is used up for user alice; retry in 42 s',
      );
      assert.equal(answer.headers['retry-after'], '42');
      assert.equal(answer.headers['lookout-ratelimit-reset'], '42');
      assert.equal(answer.headers['helicone-ratelimit-reset'], '42');
      assert.equal(answer.headers['lookout-ratelimit-remaining'], '0');
    });

    it('is quota_exceeded for a quota, naming the quota, its limit and the scope value', () => {
      const answer = refusal([outcome(freeDaily, refused(2_000_000, NOW + 3_600_000), 5_000_000)]);
      assert.equal(answer.error.code, 'quota_exceeded');
      assert.equal(answer.error.message, 'quota free-daily ($1.00 per 86400 s per user) is used up for user alice; retry in 3600 s');
      assert.equal(answer.headers['lookout-ratelimit-remaining'], '0.2');
      assert.equal(answer.headers['retry-after'], '3600');
    });

    it('names a property value and a key by name', () => {
      assert.match(
        refusal([outcome(orgTokens, refused(5, NOW + 1000), 50)]).error.message,
        /^quota org-tokens \(100000 tokens per 3600 s per organization\) is used up for organization acme;/,
      );
      assert.match(
        refusal([outcome(keyRequests, refused(0, NOW + 1000))]).error.message,
        /\(1000 requests per 60 s per gateway key\) is used up for key web-prod;/,
      );
    });

    it('is decided by the refused check that frees up last, even when a granted one has less left', () => {
      const answer = refusal([
        outcome(userPolicy, granted(0)),
        outcome(keyRequests, refused(0, NOW + 10_000)),
        outcome(freeDaily, refused(0, NOW + 7_200_000), 10),
      ]);
      assert.equal(answer.error.code, 'quota_exceeded');
      assert.match(answer.error.message, /^quota free-daily /);
      assert.equal(answer.headers['retry-after'], '7200');
      assert.equal(answer.headers['lookout-ratelimit-policy'], '100;w=86400;u=cents;s=user');
    });

    it('waits at least a second, even for a window that has already moved', () => {
      const answer = refusal([outcome(userPolicy, refused(0, NOW - 5))]);
      assert.equal(answer.headers['retry-after'], '1');
      assert.match(answer.error.message, /retry in 1 s$/);
    });

    it('says a request larger than the whole limit can never fit, and gives no time to retry at', () => {
      const answer = refusal([
        outcome(userPolicy, refused(0, NOW + 1000)),
        outcome(freeDaily, refused(1_000_000_000, NOW + 1), 1_250_000_000),
      ]);
      assert.match(
        answer.error.message,
        /^quota free-daily \(\$1\.00 per 86400 s per user\) can never fit this request for user alice: it may cost up to \$1\.25, more than the whole limit/,
      );
      assert.equal(answer.headers['retry-after'], undefined);
      assert.equal(answer.headers['lookout-ratelimit-reset'], undefined);
      assert.equal(answer.headers['lookout-ratelimit-remaining'], '100');
    });

    it('writes a dollar amount finer than a cent with the digits it needs', () => {
      const tiny: LimitCheck = { ...freeDaily, window: { ...freeDaily.window, limit: 2_500_000 } };
      assert.match(refusal([outcome(tiny, refused(0, NOW + 1000))]).error.message, /\(\$0\.0025 per 86400 s per user\)/);
    });

    it('counts one request in the singular', () => {
      const one: LimitCheck = { ...userPolicy, label: '1;w=60;u=request;s=user', window: { ...userPolicy.window, limit: 1 } };
      assert.match(refusal([outcome(one, refused(0, NOW + 1000))]).error.message, /\(1 request per 60 s per user\)/);
    });
  });
});
