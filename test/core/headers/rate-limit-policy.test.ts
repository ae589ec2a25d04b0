import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PROPERTY_NAME_PATTERN } from '../../../lambdas/contract/property-names.js';
import { parseMonitoringHeaders } from '../../../lambdas/core/headers/monitoring-headers.js';
import {
  formatRateLimitPolicy,
  parseRateLimitPolicy,
  type RateLimitPolicy,
  type RateLimitSegment,
} from '../../../lambdas/core/headers/rate-limit-policy.js';
import { LookoutError } from '../../../lambdas/core/lookout-error.js';
import { assertInvalidHeader, headerMap, PREFIXES } from './assert-invalid-header.js';

const policyOf = (value: string, prefix = 'Lookout') =>
  parseMonitoringHeaders(headerMap({ [`${prefix}-RateLimit-Policy`]: value })).rateLimitPolicy;

describe('RateLimit-Policy', () => {
  for (const prefix of PREFIXES) {
    it(`parses the full ${prefix} form`, () => {
      assert.deepEqual(policyOf('1000;w=3600;u=request;s=user', prefix), {
        quota: 1000,
        windowSeconds: 3600,
        unit: 'request',
        quotaMicroUsd: null,
        segment: { kind: 'user' },
      });
    });
  }

  it('defaults to requests and one global counter', () => {
    assert.deepEqual(policyOf('10000;w=3600'), {
      quota: 10000,
      windowSeconds: 3600,
      unit: 'request',
      quotaMicroUsd: null,
      segment: { kind: 'global' },
    });
  });

  it('converts a cents quota to integer micro-dollars, fractions included', () => {
    assert.deepEqual(policyOf('10;w=900;u=cents'), {
      quota: 10,
      windowSeconds: 900,
      unit: 'cents',
      quotaMicroUsd: 100_000,
      segment: { kind: 'global' },
    });
    assert.equal(policyOf('0.5;w=60;u=cents')?.quotaMicroUsd, 5_000);
  });

  it('counts tokens, whole ones only', () => {
    assert.deepEqual(policyOf('50000;w=3600;u=tokens;s=user'), {
      quota: 50_000,
      windowSeconds: 3600,
      unit: 'tokens',
      quotaMicroUsd: null,
      segment: { kind: 'user' },
    });
    assert.equal(policyOf('100;w=60;U=Tokens')?.unit, 'tokens');
  });

  it('segments by a custom property, matched lower-case like property names', () => {
    assert.deepEqual(policyOf('300;w=1800;s=Feature')?.segment, { kind: 'property', propertyName: 'feature' });
  });

  it('accepts parameters in any order, any case, with spaces around separators', () => {
    assert.deepEqual(policyOf(' 500 ; S=USER ; U=Request ; W=86400 '), {
      quota: 500,
      windowSeconds: 86400,
      unit: 'request',
      quotaMicroUsd: null,
      segment: { kind: 'user' },
    });
  });

  it('accepts the window bounds: 60 seconds to one year', () => {
    assert.equal(policyOf('1;w=60')?.windowSeconds, 60);
    assert.equal(policyOf('1;w=31536000')?.windowSeconds, 31_536_000);
  });

  for (const [bad, reason] of [
    ['1000', /w is required/],
    ['1000;w=59', /w must be/],
    ['1000;w=31536001', /w must be/],
    ['1000;w=1.5', /w must be/],
    ['1000;w=-60', /w must be/],
    ['0;w=60', /quota/],
    ['-5;w=60', /quota/],
    ['1.5;w=60', /whole number of requests/],
    ['1000000001;w=60', /quota/],
    ['0.00001;w=60;u=cents', /4 decimals/],
    ['abc;w=60', /quota/],
    [';w=60', /quota/],
    ['100;w=60;u=dollars', /u must be request, cents or tokens/],
    ['1.5;w=60;u=tokens', /whole number of tokens/],
    ['100;w=60;x=1', /unknown parameter x/],
    ['100;w=60;w=120', /given twice/],
    ['100;w=60;s=', /name=value/],
    ['100;w=60;s=my feature', /s must be/],
    ['100;w=60;s=_x', /s must be/],
    ['100;window=60', /unknown parameter window/],
  ] as const) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assertInvalidHeader(() => policyOf(bad), 'Lookout-RateLimit-Policy', reason);
      assertInvalidHeader(() => policyOf(bad, 'Helicone'), 'Helicone-RateLimit-Policy', reason);
    });
  }

  it('shows the expected format in the error', () => {
    assertInvalidHeader(() => policyOf('lots'), 'Lookout-RateLimit-Policy', /1000;w=3600;u=request;s=user/);
  });

  it('uses the Lookout policy when both are sent', () => {
    const parsed = parseMonitoringHeaders(headerMap({ 'Lookout-RateLimit-Policy': '5;w=60', 'Helicone-RateLimit-Policy': '9;w=60' }));
    assert.equal(parsed.rateLimitPolicy?.quota, 5);
  });
});

describe('formatRateLimitPolicy', () => {
  it('writes every parameter in one order, the unit always, the segment only when there is one', () => {
    assert.equal(formatRateLimitPolicy(policyOf(' 500 ; S=USER ; W=86400 ')!), '500;w=86400;u=request;s=user');
    assert.equal(formatRateLimitPolicy(policyOf('10;u=CENTS;w=900')!), '10;w=900;u=cents');
    assert.equal(formatRateLimitPolicy(policyOf('0.5000;w=60;u=cents;s=Feature')!), '0.5;w=60;u=cents;s=feature');
    assert.equal(formatRateLimitPolicy(policyOf('007;w=0060;u=tokens')!), '7;w=60;u=tokens');
  });
});

// What the parser must accept, generated independently of it.
const HEADER_NAMES = ['Lookout-RateLimit-Policy', 'Helicone-RateLimit-Policy'] as const;
const MIN_WINDOW = 60;
const MAX_WINDOW = 31_536_000;

const propertyName = fc.stringMatching(PROPERTY_NAME_PATTERN).filter((name) => name !== 'user');
const segmentArbitrary: fc.Arbitrary<RateLimitSegment> = fc.oneof(
  fc.constant({ kind: 'global' } as const),
  fc.constant({ kind: 'user' } as const),
  propertyName.map((name) => ({ kind: 'property', propertyName: name }) as const),
);

const validPolicy: fc.Arbitrary<RateLimitPolicy> = fc.oneof(
  fc.record(
    {
      quota: fc.integer({ min: 1, max: 1e9 }),
      windowSeconds: fc.integer({ min: MIN_WINDOW, max: MAX_WINDOW }),
      unit: fc.constantFrom('request', 'tokens' as const),
      quotaMicroUsd: fc.constant(null),
      segment: segmentArbitrary,
    },
    { noNullPrototype: true },
  ),
  // Cents to 4 decimals: a whole number of micro-dollars from 1 to 1e13.
  fc
    .record(
      {
        microUsd: fc.integer({ min: 1, max: 1e13 }),
        windowSeconds: fc.integer({ min: MIN_WINDOW, max: MAX_WINDOW }),
        segment: segmentArbitrary,
      },
      { noNullPrototype: true },
    )
    .map(({ microUsd, windowSeconds, segment }) => ({
      quota: microUsd / 10_000,
      windowSeconds,
      unit: 'cents' as const,
      quotaMicroUsd: microUsd,
      segment,
    })),
);

const parse = (name: string, value: string) => parseRateLimitPolicy({ name, value });

function randomCase(text: string, flips: readonly boolean[]): string {
  return [...text].map((char, index) => (flips[index % flips.length] ? char.toUpperCase() : char)).join('');
}

/** A valid spelling of `policy`: parameters in any order and case, spaces around separators, `u=request` left out or not. */
const spellingOf = (policy: RateLimitPolicy) =>
  fc
    .record({
      order: fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }),
      flips: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      spaces: fc.array(fc.constantFrom('', ' ', '  ', '\t'), { minLength: 8, maxLength: 8 }),
      omitDefaultUnit: fc.boolean(),
    })
    .map(({ order, flips, spaces, omitDefaultUnit }) => {
      const pad = (i: number) => spaces[i] ?? '';
      const segmentText = policy.segment.kind === 'global' ? null : policy.segment.kind === 'user' ? 'user' : policy.segment.propertyName;
      const parameters = [
        `w${pad(0)}=${pad(1)}${policy.windowSeconds}`,
        policy.unit === 'request' && omitDefaultUnit ? null : `u${pad(2)}=${pad(3)}${policy.unit}`,
        segmentText === null ? null : `s${pad(4)}=${pad(5)}${segmentText}`,
      ];
      const ordered = order.map((i) => parameters[i]).filter((p): p is string => p !== null);
      return randomCase([`${pad(6)}${policy.quota}`, ...ordered].join(`${pad(7)};${pad(7)}`), flips);
    });

function isInvalidHeader(name: string, run: () => unknown): boolean {
  try {
    run();
  } catch (error) {
    return error instanceof LookoutError && error.status === 400 && error.code === 'invalid_header' && error.message.startsWith(name);
  }
  return false;
}

describe('RateLimit-Policy properties', () => {
  it('round-trips every valid policy through its canonical text', () => {
    fc.assert(
      fc.property(validPolicy, fc.constantFrom(...HEADER_NAMES), (policy, name) => {
        assert.deepEqual(parse(name, formatRateLimitPolicy(policy)), policy);
      }),
    );
  });

  it('reads every spelling of a valid policy as its canonical one', () => {
    fc.assert(
      fc.property(
        validPolicy.chain((policy) => fc.tuple(fc.constant(policy), spellingOf(policy))),
        fc.constantFrom(...HEADER_NAMES),
        ([policy, text], name) => {
          const parsed = parse(name, text);
          assert.deepEqual(parsed, policy, text);
          assert.equal(formatRateLimitPolicy(parsed), formatRateLimitPolicy(policy));
        },
      ),
    );
  });

  it('answers any text at all with a policy that round-trips, or a 400 naming the header', () => {
    const policyAlphabet = fc.constantFrom(...'0123456789.;=wusWUS requestcentokn-_x\t'.split(''));
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: policyAlphabet, maxLength: 40 })),
        fc.constantFrom(...HEADER_NAMES),
        (text, name) => {
          let parsed: RateLimitPolicy;
          try {
            parsed = parse(name, text);
          } catch {
            assert.ok(
              isInvalidHeader(name, () => parse(name, text)),
              `not a 400 naming ${name}: ${JSON.stringify(text)}`,
            );
            return;
          }
          assert.deepEqual(parse(name, formatRateLimitPolicy(parsed)), parsed);
        },
      ),
    );
  });

  /** Replaces one part of a valid policy's canonical text with `bad`, keeping the rest valid. */
  const withBad = (part: 'quota' | 'w' | 'u' | 's', bad: fc.Arbitrary<string>) =>
    fc.tuple(validPolicy, bad).map(([policy, value]) => {
      const parts = {
        quota: String(policy.quota),
        w: `w=${policy.windowSeconds}`,
        u: `u=${policy.unit}`,
        s: formatRateLimitPolicy(policy).split(';')[3] ?? null,
      };
      const replaced = { ...parts, [part]: part === 'quota' ? value : `${part}=${value}` };
      return [replaced.quota, replaced.w, replaced.u, replaced.s].filter((p) => p !== null).join(';');
    });

  const outsideWindow = fc.oneof(fc.integer({ min: 0, max: MIN_WINDOW - 1 }), fc.integer({ min: MAX_WINDOW + 1, max: 999_999_999 }));
  const notWholeDigits = fc.oneof(
    fc.constantFrom('', '-60', '+60', '1e3', '0x3c', '60s', '6 0', 'NaN', 'Infinity', '٦٠'),
    fc
      .double({ min: 60.001, max: 1e6, noNaN: true })
      .filter((seconds) => !Number.isInteger(seconds))
      .map(String),
  );
  const badSegmentName = fc.oneof(
    fc.constantFrom('_x', '-x', '.x', 'my feature', 'a/b', 'a:b', 'ünï', 'x'.repeat(65), '"user"'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 70 }).filter((s) => {
      const lower = s.trim().toLowerCase();
      return lower !== '' && lower !== 'user' && !s.includes(';') && !PROPERTY_NAME_PATTERN.test(lower);
    }),
  );

  for (const [title, texts, reason] of [
    [
      'a quota of zero, below zero, too large or not a plain number',
      withBad('quota', fc.constantFrom('0', '-1', '1000000001', '1e3', '0x10', ' ', 'abc', '5%', '∞')),
      /quota/,
    ],
    [
      'a request or token quota that is not whole',
      validPolicy.filter((p) => p.unit !== 'cents').map((p) => `${p.quota}.5;w=${p.windowSeconds};u=${p.unit}`),
      /whole number/,
    ],
    [
      'a cents quota with more than 4 decimals',
      fc.integer({ min: 1, max: 99_999 }).map((n) => `0.${String(n).padStart(5, '0')};w=60;u=cents`),
      /4 decimals/,
    ],
    ['a window outside 60 seconds to a year', withBad('w', outsideWindow.map(String)), /w must be/],
    ['a window that is not whole digits', withBad('w', notWholeDigits), /w must be|name=value/],
    ['no window', validPolicy.map((p) => formatRateLimitPolicy(p).replace(/;w=\d+/, '')), /w is required/],
    [
      'an unknown unit',
      withBad(
        'u',
        fc.stringMatching(/^[a-z]{1,12}$/).filter((u) => !['request', 'cents', 'tokens'].includes(u)),
      ),
      /u must be/,
    ],
    ['a segment that is no property name', withBad('s', badSegmentName), /s must be|name=value/],
    [
      'an unknown parameter',
      fc
        .tuple(
          validPolicy,
          fc.stringMatching(/^[a-z]{1,8}$/).filter((n) => !['w', 'u', 's'].includes(n)),
        )
        .map(([p, n]) => `${formatRateLimitPolicy(p)};${n}=1`),
      /unknown parameter/,
    ],
    [
      'a repeated parameter',
      fc
        .tuple(validPolicy, fc.constantFrom('w=60', 'u=request', 'W=120', 'U=cents'))
        .map(([p, extra]) => `${formatRateLimitPolicy(p)};${extra}`),
      /given twice/,
    ],
    [
      'a parameter that is no name=value pair',
      validPolicy.chain((p) =>
        fc.constantFrom(
          `${formatRateLimitPolicy(p)};`,
          `${formatRateLimitPolicy(p)};w`,
          `${formatRateLimitPolicy(p)};=5`,
          `${formatRateLimitPolicy(p)};s=`,
        ),
      ),
      /name=value|given twice/,
    ],
  ] as const) {
    it(`refuses ${title} with a 400 naming the header`, () => {
      fc.assert(
        fc.property(texts as fc.Arbitrary<string>, fc.constantFrom(...HEADER_NAMES), (text, name) => {
          assertInvalidHeader(() => parse(name, text), name, reason);
        }),
      );
    });
  }
});
