/**
 * What a request's checks and their reservations say to the client: the `RateLimit-*` headers
 * (Lookout's and Helicone's twins, as a Helicone client reads them) and, when a check refused,
 * the 429 that names it. One check speaks for all: the most restrictive of those granted, or
 * the refused one that frees up last, since a retry before then is refused again.
 */
import type { QuotaUnit } from '../../contract/quota-definition.js';
import { formatRateLimitPolicy, type RateLimitUnit } from '../headers/rate-limit-policy.js';
import { LookoutError } from '../lookout-error.js';
import { nanoUsdToUsd } from '../pricing/compute-cost.js';
import type { ReserveResult } from '../ports/quota-counters.js';
import type { LimitCheck } from './applicable-limits.js';

/** One check and how its reservation went. */
export interface CheckOutcome {
  check: LimitCheck;
  /** What was asked for, in the check's integer unit. */
  amount: number;
  result: ReserveResult;
}

/** Headers (lower-case names) for the answer; the error when a check refused. */
export type QuotaAnswer =
  | { granted: true; headers: Record<string, string> }
  /** `error` carries `headers`; `refusedBy` is the check it names. */
  | { granted: false; headers: Record<string, string>; error: LookoutError; refusedBy: LimitCheck };

const PREFIXES = ['lookout', 'helicone'] as const;
const NANO_USD_PER_CENT = 1e7;

const HEADER_UNITS: Readonly<Record<QuotaUnit, RateLimitUnit>> = { requests: 'request', usd: 'cents', tokens: 'tokens' };

/** The headers, and the 429 if any check refused, for a request's reserve outcomes at `nowMs`; no headers without checks. */
export function quotaAnswer(outcomes: readonly CheckOutcome[], nowMs: number): QuotaAnswer {
  const refused = outcomes.filter((outcome) => !outcome.result.granted);
  if (refused.length > 0) {
    const decisive = refused.reduce((last, outcome) => (freesUpAt(outcome) > freesUpAt(last) ? outcome : last));
    const headers = refusalHeaders(decisive, nowMs);
    return { granted: false, headers, error: refusalError(decisive, nowMs, headers), refusedBy: decisive.check };
  }
  const tightest = outcomes.reduce<CheckOutcome | null>(
    (tight, outcome) => (tight === null || share(outcome) < share(tight) ? outcome : tight),
    null,
  );
  return { granted: true, headers: tightest ? limitHeaders(tightest) : {} };
}

// A request whose worst case is more than the whole limit never fits, however long it waits.
function neverFits(outcome: CheckOutcome): boolean {
  return outcome.amount > outcome.check.window.limit;
}

function freesUpAt(outcome: CheckOutcome): number {
  return neverFits(outcome) ? Number.POSITIVE_INFINITY : outcome.result.resetAtMs;
}

/** The part of its limit a check has left; a zero limit has none. */
function share(outcome: CheckOutcome): number {
  const { limit } = outcome.check.window;
  return limit > 0 ? outcome.result.remaining / limit : 0;
}

function limitHeaders({ check, result }: CheckOutcome): Record<string, string> {
  const policy = formatRateLimitPolicy({
    quota: inHeaderUnit(check, check.window.limit),
    windowSeconds: check.window.windowSeconds,
    unit: HEADER_UNITS[check.unit],
    segment: check.segment,
  });
  return withBothPrefixes({
    'ratelimit-limit': decimalText(inHeaderUnit(check, check.window.limit)),
    'ratelimit-remaining': decimalText(inHeaderUnit(check, result.remaining)),
    'ratelimit-policy': policy,
  });
}

function refusalHeaders(outcome: CheckOutcome, nowMs: number): Record<string, string> {
  const headers = limitHeaders(outcome);
  // No reset to wait for: a retry of the same request is refused whenever it comes.
  if (neverFits(outcome)) return headers;
  const seconds = String(secondsUntil(outcome.result.resetAtMs, nowMs));
  return { ...headers, ...withBothPrefixes({ 'ratelimit-reset': seconds }), 'retry-after': seconds };
}

function refusalError(outcome: CheckOutcome, nowMs: number, headers: Record<string, string>): LookoutError {
  const { check } = outcome;
  const code = check.kind === 'policy' ? 'rate_limited' : 'quota_exceeded';
  const limit = `${check.kind === 'policy' ? 'rate limit' : 'quota'} ${check.label} (${amountText(check.unit, check.window.limit)} per ${check.window.windowSeconds} s per ${segmentWord(check)})`;
  const message = neverFits(outcome)
    ? `${limit} can never fit this request for ${scopeText(check)}: it may cost up to ${amountText(check.unit, outcome.amount)}, more than the whole limit; ask for fewer output tokens (max_tokens)`
    : `${limit} is used up for ${scopeText(check)}; retry in ${secondsUntil(outcome.result.resetAtMs, nowMs)} s`;
  return new LookoutError(429, code, message, headers);
}

// Whole seconds, rounded up so a client that waits them finds the window moved; at least one,
// since "retry in 0 s" would invite a retry that is refused again.
function secondsUntil(atMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((atMs - nowMs) / 1000));
}

/** An amount as the headers give it: requests and tokens as they are, nano-USD in cents, as Helicone's `u=cents`. */
function inHeaderUnit(check: LimitCheck, amount: number): number {
  return check.unit === 'usd' ? amount / NANO_USD_PER_CENT : amount;
}

// Cents of a nano-USD amount have at most 7 decimals; written out, never as 1e-7.
function decimalText(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(7).replace(/0+$/, '');
}

function amountText(unit: QuotaUnit, amount: number): string {
  if (unit === 'usd') return usdText(amount);
  const noun = unit === 'requests' ? 'request' : 'token';
  return `${amount} ${amount === 1 ? noun : `${noun}s`}`;
}

// Whole cents as $1.00; anything finer with the digits it needs, down to the nano-dollar.
function usdText(nanoUsd: number): string {
  const usd = nanoUsdToUsd(nanoUsd);
  return `$${nanoUsd % NANO_USD_PER_CENT === 0 ? usd.toFixed(2) : usd.toFixed(9).replace(/0+$/, '')}`;
}

function segmentWord({ segment }: LimitCheck): string {
  if (segment.kind === 'property') return segment.propertyName;
  return segment.kind === 'user' ? 'user' : 'gateway key';
}

function scopeText(check: LimitCheck): string {
  const { segment, scopeValue } = check;
  if (segment.kind === 'property') return `${segment.propertyName} ${scopeValue}`;
  return `${segment.kind === 'user' ? 'user' : 'key'} ${scopeValue}`;
}

function withBothPrefixes(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(PREFIXES.flatMap((prefix) => Object.entries(headers).map(([name, value]) => [`${prefix}-${name}`, value])));
}
