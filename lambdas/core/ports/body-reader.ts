/** Reads a body object (gzip bytes) back from where `BodyStore` put it (port; the bodies bucket implements it). */
export interface BodyReader {
  get(key: string): Promise<Uint8Array>;
  /** A time-limited link that lets the holder download the object without credentials. */
  signedGetUrl(key: string, expiresInSeconds: number): Promise<string>;
}
