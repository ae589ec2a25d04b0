/** Where bodies too large for the log item go (port; the bodies bucket implements it). */
export interface BodyStore {
  put(key: string, gzipBytes: Uint8Array): Promise<void>;
}
