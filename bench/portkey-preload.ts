/**
 * Loaded with `--import` into Portkey's gateway (`@portkey-ai/gateway`'s build, run by plain
 * Node, as its `start:node` script does). Three shims, none on Portkey's own request path:
 * - it listens on 127.0.0.1 only (its `serve()` is given no host, so it would take every
 *   interface), and reports its URL to the bench over the IPC channel once it listens;
 * - it exits when the bench goes away, so a crashed bench leaves no gateway behind;
 * - its streamed answers work: with the `@hono/node-server` npm resolves for it today (1.19,
 *   where Portkey's own lockfile had 1.13), Portkey appends headers to the upstream `fetch`
 *   Response of a stream, whose headers are immutable, and every stream fails with "TypeError:
 *   immutable" (Portkey-AI/gateway issues 1389 and 1550). The shim hands Portkey a copy of a
 *   streamed upstream Response with mutable headers: one Response and one Headers copy per
 *   stream, about what the older `@hono/node-server` did. Buffered answers are untouched.
 */
import { Server } from 'node:net';

const nativeListen = Server.prototype.listen;
let reported = false;
Server.prototype.listen = function listenOnLoopback(this: Server, ...args: unknown[]) {
  if (typeof args[0] === 'number' && args[1] === undefined) args[1] = '127.0.0.1';
  this.once('listening', () => {
    if (reported) return;
    reported = true;
    const { port } = this.address() as { port: number };
    process.send?.({ ready: { url: `http://127.0.0.1:${port}`, nodeVersion: process.version } });
  });
  return nativeListen.apply(this, args as Parameters<Server['listen']>);
} as Server['listen'];

process.once('disconnect', () => process.exit(0));

const NativeResponse = globalThis.Response;
const nativeFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const response = await nativeFetch(input, init);
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return response;
  return new NativeResponse(response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
};
