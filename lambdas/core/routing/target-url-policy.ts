import { isIP } from 'node:net';
import { GatewayError } from '../gateway-error.js';

/**
 * True for addresses a gateway must not be tricked into calling: loopback, RFC 1918 private,
 * carrier-grade NAT, link-local (cloud metadata lives there), unique-local, unspecified, multicast.
 */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return isPrivateIPv4(address);
  if (version === 6) return isPrivateIPv6(address.toLowerCase());
  return false;
}

function isPrivateIPv4(address: string): boolean {
  const [a = 0, b = 0] = address.split('.').map(Number);
  return (
    a === 0 || a === 10 || a === 127 || a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19))
  );
}

function isPrivateIPv6(address: string): boolean {
  if (address === '::' || address === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) return isPrivateIPv4(mapped[1]);
  return /^(fc|fd|fe[89ab]|ff)/.test(address);
}

/** The policy for the generic route's target: allowlisted origins, and which may be private. */
export interface TargetUrlPolicy {
  allowlist: readonly string[];
  /** Origins of configured providers: the only ones allowed to resolve to private addresses. */
  trustedOrigins: readonly string[];
}

/** Throws a 400 naming `Lookout-Target-URL` unless the target's origin is on the allowlist. */
export function assertTargetOriginAllowed(target: URL, policy: TargetUrlPolicy): void {
  const allowed = new Set([...policy.allowlist, ...policy.trustedOrigins].map((o) => new URL(o).origin));
  if (!allowed.has(target.origin)) {
    throw new GatewayError(400, 'target_url_not_allowed', `Lookout-Target-URL origin ${target.origin} is not on the allowlist (config: targetUrlAllowlist).`);
  }
}

/** Throws a 400 when a target resolved to a private address and is not a configured provider. */
export function assertTargetAddressesAllowed(target: URL, addresses: readonly string[], policy: TargetUrlPolicy): void {
  const trusted = policy.trustedOrigins.some((o) => new URL(o).origin === target.origin);
  const privateAddress = addresses.find(isPrivateAddress);
  if (privateAddress && !trusted) {
    throw new GatewayError(400, 'target_url_not_allowed', `Lookout-Target-URL ${target.hostname} resolves to a private address (${privateAddress}); only configured providers may.`);
  }
}
