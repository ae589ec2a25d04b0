import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LookoutError } from '../../../lambdas/core/lookout-error.js';
import {
  assertPublicAddresses,
  assertTargetOriginAllowed,
  isPrivateAddress,
  mayResolveToPrivateAddress,
  type TargetUrlPolicy,
} from '../../../lambdas/core/routing/target-url-policy.js';

function assertRefused(run: () => void, messagePart: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof LookoutError, `expected a LookoutError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'target_url_not_allowed');
    assert.match(error.message, /Lookout-Target-URL/);
    assert.match(error.message, messagePart);
    return true;
  });
}

describe('isPrivateAddress', () => {
  const privateIPv4: Record<string, string[]> = {
    'unspecified / "this network" 0/8': ['0.0.0.0', '0.1.2.3'],
    'loopback 127/8': ['127.0.0.1', '127.255.255.254'],
    'RFC 1918 10/8': ['10.0.0.1', '10.255.255.255'],
    'RFC 1918 172.16/12': ['172.16.0.1', '172.31.255.255'],
    'RFC 1918 192.168/16': ['192.168.0.1', '192.168.255.255'],
    'carrier-grade NAT 100.64/10': ['100.64.0.1', '100.127.255.255'],
    'link-local 169.254/16 (cloud metadata)': ['169.254.169.254', '169.254.0.1', '169.254.170.2'],
    'benchmarking 198.18/15': ['198.18.0.1', '198.19.255.255'],
    'multicast 224/4': ['224.0.0.1', '239.255.255.250'],
    'reserved 240/4 and broadcast': ['240.0.0.1', '255.255.255.255'],
    'IETF protocol assignments 192.0.0/24': ['192.0.0.1', '192.0.0.192', '192.0.0.255'],
  };
  for (const [range, addresses] of Object.entries(privateIPv4)) {
    it(`treats IPv4 ${range} as private`, () => {
      for (const address of addresses) assert.equal(isPrivateAddress(address), true, address);
    });
  }

  it('treats public IPv4 addresses, including the neighbours of private ranges, as public', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '104.18.6.192',
      '9.255.255.255',
      '11.0.0.1', // around 10/8
      '172.15.255.255',
      '172.32.0.1', // around 172.16/12
      '192.167.255.255',
      '192.169.0.1', // around 192.168/16
      '100.63.255.255',
      '100.128.0.1', // around 100.64/10
      '169.253.255.255',
      '169.255.0.1', // around 169.254/16
      '126.255.255.255',
      '128.0.0.1', // around 127/8
      '198.17.255.255',
      '198.20.0.1', // around 198.18/15
      '223.255.255.255', // below multicast
      '191.255.255.255',
      '192.0.1.0', // around 192.0.0/24
    ])
      assert.equal(isPrivateAddress(address), false, address);
  });

  const privateIPv6: Record<string, string[]> = {
    'loopback ::1': ['::1', '0:0:0:0:0:0:0:1', '0000:0000:0000:0000:0000:0000:0000:0001', '0::1'],
    'unspecified ::': ['::', '0:0:0:0:0:0:0:0', '::0'],
    'unique-local fc00::/7': ['fc00::1', 'fd12:3456:789a::1', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    'link-local fe80::/10': ['fe80::1', 'fe80::1%eth0', 'febf::1', 'FE80::ABCD'],
    'multicast ff00::/8': ['ff02::1', 'ff05::1:3', 'FF0E::1'],
    'site-local fec0::/10 (deprecated, still routed in some networks)': ['fec0::1', 'feff:ffff::1', 'FEC0::ABCD'],
    'NAT64 64:ff9b::/96 carrying a private IPv4': ['64:ff9b::a00:1', '64:ff9b::7f00:1', '64:ff9b::169.254.169.254', '64:ff9b::c0a8:101'],
    '6to4 2002::/16 carrying a private IPv4': ['2002:a00:1::', '2002:7f00:1::1', '2002:a9fe:a9fe:1::1', '2002:c0a8:101::'],
    'IPv4-mapped private': [
      '::ffff:10.0.0.1',
      '::ffff:127.0.0.1',
      '::ffff:169.254.169.254',
      '::FFFF:192.168.1.1',
      // How the WHATWG URL parser writes [::ffff:10.0.0.1] and [::ffff:127.0.0.1], i.e. what
      // `new URL(target).hostname` hands the gateway for an IP-literal target.
      '::ffff:a00:1',
      '::ffff:7f00:1',
      '0:0:0:0:0:ffff:10.0.0.1',
      '0:0:0:0:0:ffff:a9fe:a9fe',
    ],
  };
  for (const [range, addresses] of Object.entries(privateIPv6)) {
    it(`treats IPv6 ${range} as private, in every notation`, () => {
      for (const address of addresses) assert.equal(isPrivateAddress(address), true, address);
    });
  }

  it('reads a URL hostname of an IPv4-mapped literal as the private address it is', () => {
    const hostname = new URL('http://[::ffff:10.0.0.1]/').hostname.replace(/^\[|\]$/g, '');
    assert.equal(isPrivateAddress(hostname), true, hostname);
  });

  it('treats public IPv6 addresses as public', () => {
    for (const address of [
      '2606:4700::1',
      '2606:4700:4700::1111',
      '2001:4860:4860::8888',
      '2a00:1450:4001:82a::200e',
      '::ffff:8.8.8.8',
      '::ffff:808:808', // IPv4-mapped public
      'fbff::1', // just below fc00::/7
      '::2',
      '64:ff9b::808:808',
      '64:ff9b::8.8.8.8', // NAT64 of a public IPv4: how a DNS64 network reaches it
      '2002:808:808::1', // 6to4 of a public IPv4
      '64:ff9c::a00:1',
      '2003:a00:1::', // next to the NAT64 and 6to4 prefixes
    ])
      assert.equal(isPrivateAddress(address), false, address);
  });

  it('reads each hextet as a whole, not by its first characters', () => {
    // fc::1 is 00fc::1 and ff::1 is 00ff::1, neither unique-local nor multicast.
    for (const address of ['fc::1', 'fd::1', 'ff::1', 'fe8::1']) assert.equal(isPrivateAddress(address), false, address);
  });

  it('is false for things that are not IP addresses (host names are resolved first)', () => {
    for (const value of ['localhost', 'example.com', '', '10.0.0', '[::1]', 'not an ip']) {
      assert.equal(isPrivateAddress(value), false, value);
    }
  });
});

describe('assertTargetOriginAllowed', () => {
  const policy: TargetUrlPolicy = {
    allowlist: ['https://llm.example.com', 'http://10.1.2.3:8080/ignored/path'],
    trustedOrigins: ['https://api.openai.com'],
  };

  it('allows an allowlisted origin whatever the path and query', () => {
    assertTargetOriginAllowed(new URL('https://llm.example.com/v1/chat?x=1'), policy);
    assertTargetOriginAllowed(new URL('https://llm.example.com'), policy);
    // The default port is part of the origin either way.
    assertTargetOriginAllowed(new URL('https://llm.example.com:443/v1'), policy);
    // An allowlist entry's path does not narrow it: matching is by origin.
    assertTargetOriginAllowed(new URL('http://10.1.2.3:8080/other'), policy);
  });

  it('allows configured provider origins without listing them', () => {
    assertTargetOriginAllowed(new URL('https://api.openai.com/v1/models'), policy);
  });

  it('refuses an origin that differs in scheme, host or port, naming the origin', () => {
    assertRefused(() => assertTargetOriginAllowed(new URL('http://llm.example.com/v1'), policy), /http:\/\/llm\.example\.com/);
    assertRefused(() => assertTargetOriginAllowed(new URL('https://llm.example.com:8443/v1'), policy), /:8443/);
    assertRefused(() => assertTargetOriginAllowed(new URL('https://evil.example.com/v1'), policy), /evil\.example\.com/);
    assertRefused(() => assertTargetOriginAllowed(new URL('https://sub.llm.example.com/v1'), policy), /sub\.llm/);
    assertRefused(() => assertTargetOriginAllowed(new URL('http://10.1.2.3/'), policy), /10\.1\.2\.3/);
    assertRefused(() => assertTargetOriginAllowed(new URL('http://10.1.2.3:8081/'), policy), /:8081/);
  });

  it('is not fooled by an allowlisted host in the user-info or path', () => {
    assertRefused(() => assertTargetOriginAllowed(new URL('https://llm.example.com@evil.example.com/'), policy), /evil/);
    assertRefused(() => assertTargetOriginAllowed(new URL('https://evil.example.com/https://llm.example.com'), policy), /evil/);
  });

  it('refuses everything when the allowlist is empty and no provider matches', () => {
    const empty: TargetUrlPolicy = { allowlist: [], trustedOrigins: [] };
    assertRefused(() => assertTargetOriginAllowed(new URL('https://llm.example.com/'), empty), /allowlist/);
  });
});

describe('assertPublicAddresses', () => {
  it('allows a target that resolves only to public addresses', () => {
    assertPublicAddresses('llm.example.com', ['104.18.6.192', '2606:4700::1']);
  });

  it('refuses an allowlisted target that resolves to a private address, naming host and address', () => {
    assertRefused(() => assertPublicAddresses('internal.example.com', ['10.0.0.7']), /internal\.example\.com.*10\.0\.0\.7/);
    assertRefused(() => assertPublicAddresses('llm.example.com', ['169.254.169.254']), /169\.254\.169\.254/);
  });

  it('refuses when any one of several addresses is private (DNS rebinding)', () => {
    assertRefused(() => assertPublicAddresses('llm.example.com', ['8.8.8.8', '::ffff:127.0.0.1']), /::ffff:127\.0\.0\.1/);
    assertRefused(() => assertPublicAddresses('llm.example.com', ['2606:4700::1', 'fd00::5']), /fd00::5/);
  });

  it('says that only configured providers may resolve to a private address', () => {
    assertRefused(() => assertPublicAddresses('llm.example.com', ['10.0.0.7']), /only configured providers may/);
  });
});

describe('mayResolveToPrivateAddress', () => {
  const policy: TargetUrlPolicy = {
    allowlist: ['https://llm.example.com', 'http://internal.example.com'],
    trustedOrigins: ['http://127.0.0.1:8089', 'http://mock-provider.local'],
  };

  it('lets configured providers resolve to private addresses', () => {
    assert.equal(mayResolveToPrivateAddress(new URL('http://127.0.0.1:8089/v1/chat/completions'), policy), true);
    assert.equal(mayResolveToPrivateAddress(new URL('http://mock-provider.local/v1'), policy), true);
  });

  it('trusts a provider origin only with the same scheme and port', () => {
    assert.equal(mayResolveToPrivateAddress(new URL('http://127.0.0.1:8090/v1'), policy), false);
    assert.equal(mayResolveToPrivateAddress(new URL('https://mock-provider.local/v1'), policy), false);
  });

  it('does not trust an allowlisted origin that is no configured provider', () => {
    assert.equal(mayResolveToPrivateAddress(new URL('http://internal.example.com/v1'), policy), false);
  });
});
