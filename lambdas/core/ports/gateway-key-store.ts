import type { GatewayKeyRecord } from '../auth/gateway-key.js';

/** The port through which gateway keys are stored and found, by the SHA-256 of the key. */
export interface GatewayKeyStore {
  findByHash(keyHash: string): Promise<GatewayKeyRecord | undefined>;
  create(record: GatewayKeyRecord): Promise<void>;
  list(): Promise<GatewayKeyRecord[]>;
  /** Marks a key revoked; false when no such key exists. */
  revoke(keyHash: string, revokedAt: string): Promise<boolean>;
}
