import type { GatewayKeyRecord } from '../auth/gateway-key.js';
import { LookoutError } from '../lookout-error.js';
import { invalidParameter } from './invalid-parameter.js';

/**
 * The gateway key a caller names, by its name as `npm run keys` lists it, or by its prefix when a
 * name is not enough. Names need not be unique: a rotated key keeps its name, so among several
 * keys of one name the live one is meant; several live ones are ambiguous, and the 400 lists
 * their prefixes to choose from.
 */
export function keyByNameOrPrefix(keys: readonly GatewayKeyRecord[], given: string, parameter: string): GatewayKeyRecord {
  const named = keys.filter((key) => key.name === given);
  const candidates = named.length > 1 ? named.filter((key) => !key.revokedAt) : named;
  if (candidates.length === 1) return candidates[0]!;
  if (named.length > 1) {
    const [ambiguous, kind] = candidates.length > 0 ? [candidates, 'live'] : [named, 'revoked'];
    const prefixes = ambiguous.map((key) => `${key.keyPrefix}…`).join(', ');
    throw invalidParameter(`${parameter} names ${ambiguous.length} ${kind} keys (${prefixes}); give the prefix of the one you mean`);
  }
  const prefixed = keys.filter((key) => key.keyPrefix === given);
  if (prefixed.length === 1) return prefixed[0]!;
  throw new LookoutError(404, 'not_found', `No gateway key is named "${given}"`);
}
