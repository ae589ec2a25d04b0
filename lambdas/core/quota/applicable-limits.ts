/**
 * Which limits a request meets: every server-side quota that applies to it, and the
 * `RateLimit-Policy` it sent, each turned into the counter it is checked against. The gateway
 * reserves on all of them; the most restrictive decides (`quota-headers.ts`).
 */
import type { QuotaDefinition, QuotaUnit } from '../../contract/quota-definition.js';
import { invalidHeader } from '../headers/header-values.js';
import { formatRateLimitPolicy, type RateLimitPolicy, type RateLimitSegment, type RateLimitUnit } from '../headers/rate-limit-policy.js';
import type { QuotaWindow } from '../ports/quota-counters.js';
import { policyCounterKey, quotaCounterKey } from './counter-keys.js';
import { limitInCounterUnits } from './quota-amounts.js';

/** One counter a request is checked against. */
export interface LimitCheck {
  /** The quota's id, or `policy` for the `RateLimit-Policy` header. */
  id: string;
  kind: 'quota' | 'policy';
  /** The quota's name, or the policy's canonical text: what a 429 names. */
  label: string;
  unit: QuotaUnit;
  /** The counter, its limit in integer units: requests, tokens or nano-USD. */
  window: QuotaWindow;
  /** Who shares the counter; a key quota is the `global` segment, as a policy without `s=` is. */
  segment: RateLimitSegment;
  /** Whom the counter is for, in messages: the user id, the property value or the key name (never its hash). */
  scopeValue: string;
}

export interface ApplicableLimitsInput {
  quotas: readonly QuotaDefinition[];
  /** The parsed policy and the header name the client sent it under, for the 400 of a missing segment. */
  policy: { policy: RateLimitPolicy; headerName: string } | null;
  keyHash: string;
  keyName: string;
  /** The resolved user (header, else body), or null. */
  userId: string | null;
  /** The request's custom properties, names lower-case. */
  properties: Readonly<Record<string, string>>;
}

const NANO_USD_PER_MICRO_USD = 1000;

const POLICY_UNITS: Readonly<Record<RateLimitUnit, QuotaUnit>> = { request: 'requests', cents: 'usd', tokens: 'tokens' };

/**
 * Every limit that applies to a request: the quotas whose `match` it meets, then the policy.
 * A quota scoped by user does not apply to a request without a user, nor one scoped by a
 * property to a request without that property: there is no one to count it for. A policy
 * whose segment is missing is the client's mistake, so that is a 400 naming its header.
 */
export function applicableLimits(input: ApplicableLimitsInput): LimitCheck[] {
  const checks: LimitCheck[] = [];
  for (const quota of input.quotas) {
    const check = quotaCheck(quota, input);
    if (check) checks.push(check);
  }
  if (input.policy) checks.push(policyCheck(input.policy.policy, input.policy.headerName, input));
  return checks;
}

function quotaCheck(quota: QuotaDefinition, input: ApplicableLimitsInput): LimitCheck | null {
  if (!matches(quota, input.properties)) return null;
  const scope = scopeOf(quota.scope, input);
  if (!scope) return null;
  return {
    id: quota.id,
    kind: 'quota',
    label: quota.name,
    unit: quota.unit,
    window: {
      counterKey: quotaCounterKey(quota.id, scope.counterValue),
      windowSeconds: quota.windowSeconds,
      limit: limitInCounterUnits(quota.unit, quota.limit),
    },
    segment: scope.segment,
    scopeValue: scope.scopeValue,
  };
}

// Property names are lower-cased on the request (header names are case-insensitive), so the
// match's names are compared lower-cased too: `{ Tier: "free" }` means the `Property-Tier` header.
function matches(quota: QuotaDefinition, properties: Readonly<Record<string, string>>): boolean {
  const wanted = quota.match?.properties ?? {};
  return Object.entries(wanted).every(([name, value]) => propertyValue(properties, name.toLowerCase()) === value);
}

interface Scope {
  segment: RateLimitSegment;
  /** What the counter key is built from: the key hash for a key quota, so renaming a key keeps its counter. */
  counterValue: string;
  scopeValue: string;
}

function scopeOf(scope: string, input: ApplicableLimitsInput): Scope | null {
  if (scope === 'key') return { segment: { kind: 'global' }, counterValue: input.keyHash, scopeValue: input.keyName };
  if (scope === 'user') {
    return input.userId === null ? null : { segment: { kind: 'user' }, counterValue: input.userId, scopeValue: input.userId };
  }
  const propertyName = scope.slice('property:'.length);
  const value = propertyValue(input.properties, propertyName);
  return value === null ? null : { segment: { kind: 'property', propertyName }, counterValue: value, scopeValue: value };
}

function policyCheck(policy: RateLimitPolicy, headerName: string, input: ApplicableLimitsInput): LimitCheck {
  const canonical = formatRateLimitPolicy(policy);
  const segmentValue = policySegmentValue(policy.segment, headerName, input);
  return {
    id: 'policy',
    kind: 'policy',
    label: canonical,
    unit: POLICY_UNITS[policy.unit],
    window: {
      counterKey: policyCounterKey(input.keyHash, canonical, segmentValue.counterValue),
      windowSeconds: policy.windowSeconds,
      limit: policy.quotaMicroUsd === null ? policy.quota : policy.quotaMicroUsd * NANO_USD_PER_MICRO_USD,
    },
    segment: policy.segment,
    scopeValue: segmentValue.scopeValue,
  };
}

function policySegmentValue(segment: RateLimitSegment, headerName: string, input: ApplicableLimitsInput): Omit<Scope, 'segment'> {
  // The prefix the client used for the policy is the one it would use for the missing header.
  const prefix = headerName.slice(0, headerName.indexOf('-'));
  switch (segment.kind) {
    case 'global':
      return { counterValue: input.keyHash, scopeValue: input.keyName };
    case 'user':
      if (input.userId === null) {
        throw invalidHeader(
          `${headerName} counts per user (s=user), but the request names no user: send ${prefix}-User-Id (or the body's user)`,
        );
      }
      return { counterValue: input.userId, scopeValue: input.userId };
    case 'property': {
      const value = propertyValue(input.properties, segment.propertyName);
      if (value === null) {
        throw invalidHeader(
          `${headerName} counts per ${segment.propertyName} (s=${segment.propertyName}), but the request has no ${prefix}-Property-${segment.propertyName} header`,
        );
      }
      return { counterValue: value, scopeValue: value };
    }
  }
}

function propertyValue(properties: Readonly<Record<string, string>>, name: string): string | null {
  return Object.hasOwn(properties, name) ? (properties[name] ?? null) : null;
}
