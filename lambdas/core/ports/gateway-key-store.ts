import type { GatewayKeyRecord } from '../auth/gateway-key.js';

/** The port through which the gateway finds a key by its SHA-256: all the request path needs. */
export interface GatewayKeyFinder {
  findByHash(keyHash: string): Promise<GatewayKeyRecord | undefined>;
}

/** The port through which gateway keys are stored and found, by the SHA-256 of the key. */
export interface GatewayKeyStore extends GatewayKeyFinder {
  create(record: GatewayKeyRecord): Promise<void>;
  list(): Promise<GatewayKeyRecord[]>;
  /** Marks a key revoked; false when no such key exists. */
  revoke(keyHash: string, revokedAt: string): Promise<boolean>;
}
