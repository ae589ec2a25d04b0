import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  gatewayKeyMatches,
  generateGatewayKey,
  hashGatewayKey,
  newGatewayKeyRecord,
  roleAllows,
  type GatewayKeyRecord,
} from '../../../lambdas/core/auth/gateway-key.js';

describe('generateGatewayKey', () => {
  it('makes lk_ keys carrying 256 random bits in base64url', () => {
    for (let i = 0; i < 20; i++) {
      const key = generateGatewayKey();
      assert.match(key, /^lk_[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(key.slice(3), 'base64url').length, 32);
    }
  });

  it('never repeats a key', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateGatewayKey()));
    assert.equal(keys.size, 1000);
  });

  it('fits the Lookout-Auth bearer header as is', () => {
    // No characters that would need quoting or escaping in a header value.
    assert.match(`Bearer ${generateGatewayKey()}`, /^Bearer [\x21-\x7e]+$/);
  });
});

describe('hashGatewayKey', () => {
  it('is the SHA-256 of the key in lower-case hex', () => {
    const key = 'lk_example';
    assert.equal(hashGatewayKey(key), createHash('sha256').update(key).digest('hex'));
    assert.match(hashGatewayKey(key), /^[0-9a-f]{64}$/);
    assert.equal(hashGatewayKey('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('is stable for a key and differs between keys', () => {
    const key = generateGatewayKey();
    assert.equal(hashGatewayKey(key), hashGatewayKey(key));
    assert.notEqual(hashGatewayKey(key), hashGatewayKey(`${key}x`));
  });

  it('hashes the UTF-8 bytes of the key', () => {
    assert.equal(
      hashGatewayKey('é'),
      createHash('sha256')
        .update(Buffer.from([0xc3, 0xa9]))
        .digest('hex'),
    );
  });
});

describe('newGatewayKeyRecord', () => {
  it('stores the hash, a short prefix and never the key', () => {
    const key = generateGatewayKey();
    const record = newGatewayKeyRecord(key, 'billing-service', 'app', Date.UTC(2025, 0, 2, 3, 4, 5));
    assert.deepEqual(record, {
      keyHash: hashGatewayKey(key),
      keyPrefix: key.slice(0, 9),
      name: 'billing-service',
      role: 'app',
      createdAt: '2025-01-02T03:04:05.000Z',
    });
    assert.ok(key.startsWith(record.keyPrefix));
    assert.ok(!JSON.stringify(record).includes(key), 'the record must not contain the key');
    assert.ok(record.keyPrefix.length < key.length / 2, 'the prefix must be too short to use');
  });

  it('keeps the role it was given', () => {
    assert.equal(newGatewayKeyRecord(generateGatewayKey(), 'ops', 'admin', 0).role, 'admin');
  });
});

describe('gatewayKeyMatches', () => {
  const key = generateGatewayKey();
  const record: GatewayKeyRecord = newGatewayKeyRecord(key, 'app-1', 'app', 0);

  it('accepts the key the record was made from', () => {
    assert.equal(gatewayKeyMatches(record, key), true);
  });

  it('refuses any other key', () => {
    assert.equal(gatewayKeyMatches(record, generateGatewayKey()), false);
    assert.equal(gatewayKeyMatches(record, `${key} `), false);
    assert.equal(gatewayKeyMatches(record, key.toUpperCase()), false);
    assert.equal(gatewayKeyMatches(record, ''), false);
  });

  it('refuses the hash itself presented as a key', () => {
    assert.equal(gatewayKeyMatches(record, record.keyHash), false);
  });

  it('refuses a revoked key', () => {
    assert.equal(gatewayKeyMatches({ ...record, revokedAt: '2025-01-01T00:00:00.000Z' }, key), false);
  });

  it('refuses when there is no record', () => {
    assert.equal(gatewayKeyMatches(undefined, key), false);
  });

  it('refuses, without throwing, a record whose stored hash is damaged', () => {
    assert.equal(gatewayKeyMatches({ ...record, keyHash: '' }, key), false);
    assert.equal(gatewayKeyMatches({ ...record, keyHash: record.keyHash.slice(0, 32) }, key), false);
    assert.equal(gatewayKeyMatches({ ...record, keyHash: 'not hex at all' }, key), false);
  });
});

describe('roleAllows', () => {
  it('lets admin keys do everything and app keys only app work', () => {
    assert.equal(roleAllows('app', 'app'), true);
    assert.equal(roleAllows('admin', 'app'), true);
    assert.equal(roleAllows('admin', 'admin'), true);
    assert.equal(roleAllows('app', 'admin'), false);
  });
});
