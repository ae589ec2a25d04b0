import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type GatewayKeyRole = 'app' | 'admin';

/** A stored gateway key: never the key itself, only its SHA-256. */
export interface GatewayKeyRecord {
  keyHash: string;
  /** A short, non-secret prefix of the key, so people can tell keys apart in listings. */
  keyPrefix: string;
  name: string;
  role: GatewayKeyRole;
  createdAt: string;
  revokedAt?: string;
}

const KEY_PREFIX = 'lk_';

/** Makes a new random gateway key (`lk_` + 256 random bits, base64url). */
export function generateGatewayKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The SHA-256 (hex) under which a key is stored and looked up. */
export function hashGatewayKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The record for a newly created key. */
export function newGatewayKeyRecord(key: string, name: string, role: GatewayKeyRole, nowMs: number): GatewayKeyRecord {
  return {
    keyHash: hashGatewayKey(key),
    keyPrefix: key.slice(0, KEY_PREFIX.length + 6),
    name,
    role,
    createdAt: new Date(nowMs).toISOString(),
  };
}

/**
 * True when `record` is a live key whose hash equals the presented key's, compared in constant
 * time so the comparison leaks nothing about how much of a hash matched.
 */
export function gatewayKeyMatches(record: GatewayKeyRecord | undefined, presentedKey: string): record is GatewayKeyRecord {
  if (!record || record.revokedAt) return false;
  const presented = Buffer.from(hashGatewayKey(presentedKey), 'hex');
  const stored = Buffer.from(record.keyHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}

/** Admin keys may do everything app keys may; the query API needs admin. */
export function roleAllows(role: GatewayKeyRole, needed: GatewayKeyRole): boolean {
  return needed === 'app' || role === 'admin';
}
