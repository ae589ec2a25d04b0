import { LookoutError } from '../core/lookout-error.js';
import { gatewayKeyMatches, hashGatewayKey, roleAllows, type GatewayKeyRecord, type GatewayKeyRole } from '../core/auth/gateway-key.js';
import type { GatewayKeyFinder } from '../core/ports/gateway-key-store.js';

const MAX_CACHED_KEYS = 10_000;

/**
 * How long past its TTL a verified key keeps working while the key store cannot be reached: a
 * DynamoDB hiccup should not turn every request into an error.
 */
const STALE_IF_ERROR_MS = 5 * 60_000;

/**
 * Checks gateway keys against the store, trusting a verified key for `ttlMs` so the hot path
 * does not read DynamoDB on every request. Failures are never cached: a key created a moment
 * ago works at once; a revoked key stops working within `ttlMs` (while the store answers).
 */
export class GatewayKeyAuthenticator {
  private readonly verified = new Map<string, { record: GatewayKeyRecord; expiresAt: number }>();

  constructor(
    private readonly store: GatewayKeyFinder,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(presentedKey: string | null, needed: GatewayKeyRole): Promise<GatewayKeyRecord> {
    if (!presentedKey) {
      throw new LookoutError(401, 'missing_api_key', 'Send your Lookout key as "Lookout-Auth: Bearer <key>" (or Helicone-Auth).');
    }
    const record = await this.verifiedRecord(presentedKey);
    if (!record) throw new LookoutError(401, 'invalid_api_key', 'The Lookout key is not valid or has been revoked.');
    if (!roleAllows(record.role, needed)) {
      throw new LookoutError(403, 'forbidden', `This needs an ${needed} key; the key "${record.name}" is an ${record.role} key.`);
    }
    return record;
  }

  private async verifiedRecord(presentedKey: string): Promise<GatewayKeyRecord | undefined> {
    const keyHash = hashGatewayKey(presentedKey);
    const cached = this.verified.get(keyHash);
    if (cached && cached.expiresAt > this.now()) return cached.record;
    let record: GatewayKeyRecord | undefined;
    try {
      record = await this.store.findByHash(keyHash);
    } catch (error) {
      if (cached && cached.expiresAt + STALE_IF_ERROR_MS > this.now()) return cached.record;
      throw new LookoutError(
        503,
        'auth_unavailable',
        `Lookout could not check the key right now (${(error as Error).name}); retry shortly.`,
      );
    }
    this.verified.delete(keyHash);
    if (!gatewayKeyMatches(record, presentedKey)) return undefined;
    if (this.ttlMs > 0) {
      if (this.verified.size >= MAX_CACHED_KEYS) this.verified.clear();
      this.verified.set(keyHash, { record, expiresAt: this.now() + this.ttlMs });
    }
    return record;
  }
}
