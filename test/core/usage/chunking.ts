/** Ways to cut a byte string into the chunks a network would deliver. */
import { seededRandom } from '../../../lambdas/demo/seeded-random.js';

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function bytesOf(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Chunks of 1 to `maxLength` bytes at seeded random places. */
export function randomChunks(bytes: Uint8Array, seed: number, maxLength = 40): Uint8Array[] {
  const random = seededRandom(seed);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const length = 1 + Math.floor(random() * maxLength);
    // Copies, as a network stack would hand out fresh buffers.
    chunks.push(bytes.slice(offset, offset + length));
    offset += length;
  }
  return chunks;
}

/** One chunk per byte. */
export function byteChunks(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (_, i) => bytes.slice(i, i + 1));
}

/** The splits every streaming test runs: whole, byte by byte, and a spread of random cuts. */
export function chunkings(text: string): { name: string; chunks: Uint8Array[] }[] {
  const bytes = bytesOf(text);
  return [
    { name: 'one chunk', chunks: [bytes.slice()] },
    { name: 'byte by byte', chunks: byteChunks(bytes) },
    ...[1, 2, 3, 42, 1234].map((seed) => ({ name: `random split #${seed}`, chunks: randomChunks(bytes, seed) })),
    { name: 'large random split', chunks: randomChunks(bytes, 7, 700) },
  ];
}

/** Feeds chunks through a push/end pair and returns everything it handed on, joined. */
export function runThrough(tap: { push(chunk: Uint8Array): Uint8Array; end(): Uint8Array }, chunks: Uint8Array[]): Uint8Array {
  const out: Uint8Array[] = chunks.map((chunk) => tap.push(chunk));
  out.push(tap.end());
  return Buffer.concat(out);
}
