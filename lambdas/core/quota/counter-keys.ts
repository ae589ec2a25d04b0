import { createHash } from 'node:crypto';

/**
 * The counter a quota keeps for one scope value: `q:<quota id>:<scope value>`. A user id or a
 * property value is free text, so it is hashed into the key (fixed length, no separator clash);
 * the API's usage route finds the same counter from the same inputs.
 */
export function quotaCounterKey(quotaId: string, scopeValue: string): string {
  return `q:${quotaId}:${digest(scopeValue)}`;
}

/**
 * The counter of a `RateLimit-Policy` header: scoped to the gateway key that sent it (two tenants
 * sending the same policy never share a counter), then to the policy as written, then to the
 * segment's value (the user, the property value, or the key itself for a policy without `s=`).
 */
export function policyCounterKey(keyHash: string, normalisedPolicy: string, segmentValue: string): string {
  return `p:${digest(`${keyHash}\n${normalisedPolicy}`)}:${digest(segmentValue)}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 32);
}
