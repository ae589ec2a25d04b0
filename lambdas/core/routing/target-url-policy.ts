import { BlockList, isIP } from 'node:net';
import { LookoutError } from '../lookout-error.js';

// A maintained matcher (node:net's BlockList) rather than hand-written range arithmetic: it parses
// every IPv6 notation and matches IPv4-mapped addresses (::ffff:10.0.0.1) against the IPv4 ranges.
const PRIVATE_RANGES = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local: cloud metadata lives at 169.254.169.254
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments (e.g. 192.0.0.192, Oracle Cloud metadata)
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 3], // multicast 224/4, reserved 240/4 and broadcast
] as const)
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local: deprecated, still routed inside some networks
  ['ff00::', 8], // multicast
] as const)
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv6');

/**
 * True for addresses a gateway must not be tricked into calling: loopback, RFC 1918 private,
 * carrier-grade NAT, link-local (cloud metadata lives there), unique- and site-local, unspecified,
 * multicast, and IPv6 addresses that carry one of the private IPv4 ones (IPv4-mapped, NAT64, 6to4).
 */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return PRIVATE_RANGES.check(address, 'ipv4');
  if (version !== 6) return false;
  const bare = address.replace(/%.*$/, '');
  const embedded = embeddedIPv4(ipv6Hextets(bare));
  return embedded ? PRIVATE_RANGES.check(embedded, 'ipv4') : PRIVATE_RANGES.check(bare, 'ipv6');
}

/**
 * The IPv4 address a translating prefix carries: NAT64 `64:ff9b::/96` (RFC 6052; a DNS64 resolver
 * hands these out for every IPv4-only host, public ones included) and 6to4 `2002::/16` (RFC 3056).
 * Their IPv6 prefixes are public, so the IPv4 inside decides.
 */
function embeddedIPv4(hextets: readonly number[]): string | undefined {
  const [h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0] = hextets;
  if (h0 === 0x64 && h1 === 0xff9b && h2 === 0 && h3 === 0 && h4 === 0 && h5 === 0) return dottedQuad(h6, h7);
  if (h0 === 0x2002) return dottedQuad(h1, h2);
  return undefined;
}

function dottedQuad(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/** The eight 16-bit groups of an address `isIP` accepted as IPv6, zone id removed. */
function ipv6Hextets(address: string): number[] {
  let text = address;
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
  /**
   * Origins of configured providers, as `URL.origin` writes them: the only ones allowed to
   * resolve to private addresses.
   */
  trustedOrigins: readonly string[];
}

/** Throws a 400 naming `Lookout-Target-URL` unless the target's origin is on the allowlist. */
export function assertTargetOriginAllowed(target: URL, policy: TargetUrlPolicy): void {
  const allowed = new Set([...policy.allowlist, ...policy.trustedOrigins].map((o) => new URL(o).origin));
  if (!allowed.has(target.origin)) {
    throw new LookoutError(
      400,
      'target_url_not_allowed',
      `Lookout-Target-URL origin ${target.origin} is not on the allowlist (config: targetUrlAllowlist).`,
    );
  }
}

/** True when the target is a configured provider's origin (same scheme, host and port), which may be private. */
export function mayResolveToPrivateAddress(target: URL, policy: TargetUrlPolicy): boolean {
  return policy.trustedOrigins.includes(target.origin);
}

/**
 * Throws a 400 when a host resolved to a private address, naming host and address. The upstream
 * adapter calls it when it connects, on the addresses it is about to dial, so a DNS answer that
 * changes between a check and the connection (rebinding) cannot slip through.
 */
export function assertPublicAddresses(hostname: string, addresses: readonly string[]): void {
  const privateAddress = addresses.find(isPrivateAddress);
  if (privateAddress) {
    throw new LookoutError(
      400,
      'target_url_not_allowed',
      `Lookout-Target-URL ${hostname} resolves to a private address (${privateAddress}); only configured providers may.`,
    );
  }
}
