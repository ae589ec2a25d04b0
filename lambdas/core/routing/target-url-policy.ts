import { isIP } from 'node:net';
import { LookoutError } from '../lookout-error.js';

/**
 * True for addresses a gateway must not be tricked into calling: loopback, RFC 1918 private,
 * carrier-grade NAT, link-local (cloud metadata lives there), unique-local, unspecified, multicast.
 */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return isPrivateIPv4(address);
  if (version === 6) return isPrivateIPv6(address);
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
  // Compared as numbers, not text: `::ffff:a00:1` (how the URL parser writes ::ffff:10.0.0.1),
  // `0:0:0:0:0:0:0:1` and `::1` are the same kind of address, while `fc::1` is 00fc::1, not fc00::/7.
  const [h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0] = ipv6Hextets(address);
  const upperZero = h0 === 0 && h1 === 0 && h2 === 0 && h3 === 0 && h4 === 0;
  if (upperZero && h5 === 0 && h6 === 0 && (h7 === 0 || h7 === 1)) return true; // :: and ::1
  if (upperZero && h5 === 0xffff) return isPrivateIPv4(`${h6 >> 8}.${h6 & 0xff}.${h7 >> 8}.${h7 & 0xff}`);
  return (
    (h0 & 0xfe00) === 0xfc00 || // unique-local fc00::/7
    (h0 & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (h0 & 0xff00) === 0xff00 // multicast ff00::/8
  );
}

/** The eight 16-bit groups of an address `isIP` accepted as IPv6 (zone id ignored). */
function ipv6Hextets(address: string): number[] {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].map((group) => parseInt(group, 16));
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
    throw new LookoutError(400, 'target_url_not_allowed', `Lookout-Target-URL origin ${target.origin} is not on the allowlist (config: targetUrlAllowlist).`);
  }
}

/** Throws a 400 when a target resolved to a private address and is not a configured provider. */
export function assertTargetAddressesAllowed(target: URL, addresses: readonly string[], policy: TargetUrlPolicy): void {
  const trusted = policy.trustedOrigins.some((o) => new URL(o).origin === target.origin);
  const privateAddress = addresses.find(isPrivateAddress);
  if (privateAddress && !trusted) {
    throw new LookoutError(400, 'target_url_not_allowed', `Lookout-Target-URL ${target.hostname} resolves to a private address (${privateAddress}); only configured providers may.`);
  }
}
