/**
 * Collects the bytes of a body for the log, up to `limit`: a runaway answer costs the gateway
 * a bounded amount of memory, and the stored copy says it was cut.
 */
export class BoundedByteCollector {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly limit: number) {}

  add(chunk: Uint8Array): void {
    if (this.truncated || chunk.length === 0) return;
    const room = this.limit - this.size;
    if (chunk.length > room) {
      this.truncated = true;
      if (room > 0) this.chunks.push(chunk.subarray(0, room));
      this.size = this.limit;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
