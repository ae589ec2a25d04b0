import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { GatewayKeyAuthenticator } from '../../lambdas/app/gateway-key-authenticator.js';
import { generateGatewayKey, newGatewayKeyRecord, type GatewayKeyRecord } from '../../lambdas/core/auth/gateway-key.js';
import type { GatewayKeyStore } from '../../lambdas/core/ports/gateway-key-store.js';
import { LookoutError } from '../../lambdas/core/lookout-error.js';

/** The key table in memory, counting reads so tests can tell a cache hit from a lookup. */
class InMemoryGatewayKeyStore implements GatewayKeyStore {
  readonly records = new Map<string, GatewayKeyRecord>();
  reads = 0;
  failNextRead: Error | null = null;

  async findByHash(keyHash: string): Promise<GatewayKeyRecord | undefined> {
    this.reads++;
    if (this.failNextRead) {
      const error = this.failNextRead;
      this.failNextRead = null;
      throw error;
    }
    const record = this.records.get(keyHash);
    return record && { ...record };
  }

  async create(record: GatewayKeyRecord): Promise<void> {
    this.records.set(record.keyHash, { ...record });
  }

  async list(): Promise<GatewayKeyRecord[]> {
    return [...this.records.values()];
  }

  async revoke(keyHash: string, revokedAt: string): Promise<boolean> {
    const record = this.records.get(keyHash);
    if (!record) return false;
    this.records.set(keyHash, { ...record, revokedAt });
    return true;
  }
}

async function assertRefused(promise: Promise<unknown>, status: number, code: string): Promise<LookoutError> {
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => {
    caught = error;
    assert.ok(error instanceof LookoutError, `expected a LookoutError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    return true;
  });
  return caught as LookoutError;
}

const TTL_MS = 30_000;

describe('GatewayKeyAuthenticator', () => {
  let store: InMemoryGatewayKeyStore;
  let nowMs: number;
  let authenticator: GatewayKeyAuthenticator;
  let appKey: string;
  let adminKey: string;

  async function addKey(name: string, role: 'app' | 'admin'): Promise<string> {
    const key = generateGatewayKey();
    await store.create(newGatewayKeyRecord(key, name, role, nowMs));
    return key;
  }

  beforeEach(async () => {
    store = new InMemoryGatewayKeyStore();
    nowMs = Date.UTC(2025, 5, 1);
    authenticator = new GatewayKeyAuthenticator(store, TTL_MS, () => nowMs);
    appKey = await addKey('checkout-app', 'app');
    adminKey = await addKey('ops', 'admin');
  });

  it('returns the record of a valid key', async () => {
    const record = await authenticator.authenticate(appKey, 'app');
    assert.equal(record.name, 'checkout-app');
    assert.equal(record.role, 'app');
  });

  it('answers 401 missing_api_key when no key was sent, without reading the store', async () => {
    const error = await assertRefused(authenticator.authenticate(null, 'app'), 401, 'missing_api_key');
    assert.match(error.message, /Lookout-Auth: Bearer/);
    await assertRefused(authenticator.authenticate('', 'app'), 401, 'missing_api_key');
    assert.equal(store.reads, 0);
  });

  it('answers 401 invalid_api_key for an unknown key', async () => {
    await assertRefused(authenticator.authenticate(generateGatewayKey(), 'app'), 401, 'invalid_api_key');
    await assertRefused(authenticator.authenticate('sk-a-provider-key-sent-by-mistake', 'app'), 401, 'invalid_api_key');
  });

  it('answers 401 invalid_api_key for a revoked key', async () => {
    const revokedKey = await addKey('old', 'app');
    const [record] = (await store.list()).filter((r) => r.name === 'old');
    await store.revoke(record!.keyHash, new Date(nowMs).toISOString());
    await assertRefused(authenticator.authenticate(revokedKey, 'app'), 401, 'invalid_api_key');
  });

  it('answers 403 forbidden when an app key is used where admin is needed, naming the key', async () => {
    const error = await assertRefused(authenticator.authenticate(appKey, 'admin'), 403, 'forbidden');
    assert.match(error.message, /checkout-app/);
    assert.match(error.message, /admin/);
  });

  it('lets admin keys do app and admin work', async () => {
    assert.equal((await authenticator.authenticate(adminKey, 'app')).name, 'ops');
    assert.equal((await authenticator.authenticate(adminKey, 'admin')).name, 'ops');
  });

  it('does not leak the key into error messages', async () => {
    const unknown = generateGatewayKey();
    const error = await assertRefused(authenticator.authenticate(unknown, 'app'), 401, 'invalid_api_key');
    assert.ok(!error.message.includes(unknown));
  });

  it('trusts a verified key for the TTL without reading the store again', async () => {
    await authenticator.authenticate(appKey, 'app');
    assert.equal(store.reads, 1);
    nowMs += TTL_MS - 1;
    await authenticator.authenticate(appKey, 'app');
    await authenticator.authenticate(appKey, 'app');
    assert.equal(store.reads, 1);
  });

  it('reads the store again once the TTL has passed', async () => {
    await authenticator.authenticate(appKey, 'app');
    nowMs += TTL_MS;
    await authenticator.authenticate(appKey, 'app');
    assert.equal(store.reads, 2);
    // ...and trusts the fresh answer for another TTL.
    nowMs += TTL_MS - 1;
    await authenticator.authenticate(appKey, 'app');
    assert.equal(store.reads, 2);
  });

  it('makes a revocation take effect once the TTL has passed', async () => {
    const record = await authenticator.authenticate(appKey, 'app');
    await store.revoke(record.keyHash, new Date(nowMs).toISOString());

    nowMs += TTL_MS - 1;
    await authenticator.authenticate(appKey, 'app'); // still trusted from the cache

    nowMs += 1;
    await assertRefused(authenticator.authenticate(appKey, 'app'), 401, 'invalid_api_key');
    nowMs += 1;
    await assertRefused(authenticator.authenticate(appKey, 'app'), 401, 'invalid_api_key');
  });

  it('never caches a failure: a key created after a refusal works at once', async () => {
    const key = generateGatewayKey();
    await assertRefused(authenticator.authenticate(key, 'app'), 401, 'invalid_api_key');
    await store.create(newGatewayKeyRecord(key, 'new-app', 'app', nowMs));
    assert.equal((await authenticator.authenticate(key, 'app')).name, 'new-app');
  });

  it('reads the store on every attempt with an invalid key', async () => {
    const key = generateGatewayKey();
    for (let i = 0; i < 3; i++) await assertRefused(authenticator.authenticate(key, 'app'), 401, 'invalid_api_key');
    assert.equal(store.reads, 3);
  });

  it('does not cache a store failure: 503 auth_unavailable, and the next attempt reads again', async () => {
    store.failNextRead = Object.assign(new Error('DynamoDB throttled'), { name: 'ThrottlingException' });
    const error = await assertRefused(authenticator.authenticate(appKey, 'app'), 503, 'auth_unavailable');
    assert.match(error.message, /ThrottlingException/);
    assert.equal((await authenticator.authenticate(appKey, 'app')).name, 'checkout-app');
    assert.equal(store.reads, 2);
  });

  it('keeps a verified key working for a while past its TTL when the store cannot be reached', async () => {
    await authenticator.authenticate(appKey, 'app');
    nowMs += TTL_MS + 1;
    store.failNextRead = new Error('socket hang up');
    assert.equal((await authenticator.authenticate(appKey, 'app')).name, 'checkout-app');
    nowMs += 10 * 60_000;
    store.failNextRead = new Error('socket hang up');
    await assertRefused(authenticator.authenticate(appKey, 'app'), 503, 'auth_unavailable');
  });

  it('still answers 403 for a cached app key asking for admin', async () => {
    await authenticator.authenticate(appKey, 'app');
    await assertRefused(authenticator.authenticate(appKey, 'admin'), 403, 'forbidden');
    assert.equal(store.reads, 1);
  });

  it('caches each key separately', async () => {
    await authenticator.authenticate(appKey, 'app');
    await authenticator.authenticate(adminKey, 'app');
    assert.equal(store.reads, 2);
    await authenticator.authenticate(appKey, 'app');
    await authenticator.authenticate(adminKey, 'admin');
    assert.equal(store.reads, 2);
  });

  it('reads the store on every request when the TTL is 0', async () => {
    const uncached = new GatewayKeyAuthenticator(store, 0, () => nowMs);
    await uncached.authenticate(appKey, 'app');
    await uncached.authenticate(appKey, 'app');
    assert.equal(store.reads, 2);
    const [record] = (await store.list()).filter((r) => r.name === 'checkout-app');
    await store.revoke(record!.keyHash, new Date(nowMs).toISOString());
    await assertRefused(uncached.authenticate(appKey, 'app'), 401, 'invalid_api_key');
  });
});
