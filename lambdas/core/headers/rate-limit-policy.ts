import type { SentHeader } from './header-names.js';
import { invalidHeader } from './header-values.js';
import { PROPERTY_NAME_PATTERN } from '../../contract/property-names.js';

/** Who shares one rate-limit counter. */
export type RateLimitSegment =
  | { readonly kind: 'global' }
  | { readonly kind: 'user' }
  /** One counter per value of this custom property (lower-case, as in `MonitoringHeaders.properties`). */
  | { readonly kind: 'property'; readonly propertyName: string };

/** What a policy counts: requests, US cents of cost, or tokens (prompt and output together). */
export type RateLimitUnit = 'request' | 'cents' | 'tokens';

/** A parsed `RateLimit-Policy`: at most `quota` units per `windowSeconds` per segment. */
export interface RateLimitPolicy {
  /** As sent: a request or token count, or US cents (fractions allowed) for `cents`. */
  readonly quota: number;
  readonly windowSeconds: number;
  readonly unit: RateLimitUnit;
  /** `quota` in integer micro-dollars for `cents` policies (money is integer inside Lookout); null otherwise. */
  readonly quotaMicroUsd: number | null;
  /**
   * Whether the user id or the property is actually present is checked where the quota is
   * enforced: the user id can still come from the request body.
   */
  readonly segment: RateLimitSegment;
}

// Helicone's bounds: windows shorter than a minute make counters churn, longer than a year
// outlive any retention.
const MIN_WINDOW_SECONDS = 60;
const MAX_WINDOW_SECONDS = 365 * 24 * 60 * 60;
const MAX_QUOTA = 1_000_000_000;
const MICRO_USD_PER_CENT = 10_000;

/**
 * Parses Helicone's policy format `[quota];w=[window_seconds];u=[request|cents|tokens];s=[user|<property>]`
 * (`w` required, `u` defaults to `request`, `s` to one global counter). Parameters may come in any
 * order; names, the unit and the segment are case-insensitive.
 */
export function parseRateLimitPolicy(header: SentHeader): RateLimitPolicy {
  const fail = (reason: string) => invalidHeader(`${header.name} must look like 1000;w=3600;u=request;s=user: ${reason}`);

  const [quotaText = '', ...parameterTexts] = header.value.split(';').map((part) => part.trim());
  const parameters = new Map<string, string>();
  for (const text of parameterTexts) {
    const match = /^([a-z]+)\s*=\s*(.+)$/i.exec(text);
    if (!match?.[1] || !match[2]) throw fail(`"${text.slice(0, 32)}" is not a name=value parameter`);
    const name = match[1].toLowerCase();
    if (name !== 'w' && name !== 'u' && name !== 's') throw fail(`unknown parameter ${name}`);
    if (parameters.has(name)) throw fail(`parameter ${name} is given twice`);
    parameters.set(name, match[2]);
  }

  const unitText = (parameters.get('u') ?? 'request').toLowerCase();
  if (unitText !== 'request' && unitText !== 'cents' && unitText !== 'tokens') throw fail('u must be request, cents or tokens');
  const unit = unitText;

  // Cents may be fractional down to one micro-dollar (0.0001 cent); requests and tokens are counted whole.
  const quotaPattern = unit === 'cents' ? /^\d{1,10}(\.\d{1,4})?$/ : /^\d{1,10}$/;
  const quota = quotaPattern.test(quotaText) ? Number(quotaText) : Number.NaN;
  if (!(quota > 0 && quota <= MAX_QUOTA)) {
    throw fail(
      unit === 'cents'
        ? `the quota must be a positive number of cents up to ${MAX_QUOTA}, at most 4 decimals`
        : `the quota must be a whole number of ${unit === 'tokens' ? 'tokens' : 'requests'} from 1 to ${MAX_QUOTA}`,
    );
  }

  const windowText = parameters.get('w');
  if (windowText === undefined) throw fail('the window w is required');
  const windowSeconds = /^\d{1,9}$/.test(windowText) ? Number(windowText) : Number.NaN;
  if (!(windowSeconds >= MIN_WINDOW_SECONDS && windowSeconds <= MAX_WINDOW_SECONDS)) {
    throw fail(`w must be whole seconds from ${MIN_WINDOW_SECONDS} to ${MAX_WINDOW_SECONDS}`);
  }

  return {
    quota,
    windowSeconds,
    unit,
    quotaMicroUsd: unit === 'cents' ? Math.round(quota * MICRO_USD_PER_CENT) : null,
    segment: parseSegment(parameters.get('s'), fail),
  };
}

/**
 * The canonical text of a policy: `<quota>;w=<seconds>;u=<unit>[;s=<user|property>]`, every
 * parameter in this order and lower-case, the unit always written, `s` only for a segmented one.
 * It is what the `RateLimit-Policy` response header echoes, and it names the policy's counter, so
 * two spellings of one policy (`5;W=60`, `5;u=request;w=60`) count together. Numbers are written
 * as JavaScript prints them, which for a parsed quota (at most 4 decimals, at most 1e9) is plain
 * decimal notation the parser reads back to the same number.
 */
export function formatRateLimitPolicy(policy: Pick<RateLimitPolicy, 'quota' | 'windowSeconds' | 'unit' | 'segment'>): string {
  const text = `${policy.quota};w=${policy.windowSeconds};u=${policy.unit}`;
  switch (policy.segment.kind) {
    case 'global':
      return text;
    case 'user':
      return `${text};s=user`;
    case 'property':
      return `${text};s=${policy.segment.propertyName}`;
  }
}

function parseSegment(text: string | undefined, fail: (reason: string) => Error): RateLimitSegment {
  if (text === undefined) return { kind: 'global' };
  const lower = text.toLowerCase();
  // `user` is reserved, as in Helicone: a property called "user" cannot be a segment.
  if (lower === 'user') return { kind: 'user' };
  if (!PROPERTY_NAME_PATTERN.test(lower)) {
    throw fail('s must be user or a custom property name (letters, digits, - _ .; at most 64)');
  }
  return { kind: 'property', propertyName: lower };
}
