import { Writable } from 'node:stream';
import type { ServerResponse } from 'node:http';

/** The prelude a streaming handler sends before the body (status and headers). */
export interface ResponsePrelude {
  statusCode?: number;
  headers?: Record<string, string>;
  cookies?: string[];
}

/** Past this much held body, the head and the held bytes go out without waiting for the turn's end. */
const HOLD_MAX_BYTES = 64 * 1024;

/**
 * What the Lambda runtime hands a streaming handler as `responseStream`, writing to a Node HTTP
 * response, and a client that goes away destroys the stream as the real runtime does.
 * The prelude (status and headers) and the bytes written in the same turn of the event loop are
 * held until that turn ends: an answer that is complete by then (a buffered answer, the usual
 * case) goes out with its Content-Length in one socket write instead of three (head, body,
 * chunked terminator). Anything written later is sent at once, chunk by chunk, as a stream.
 */
export class LocalResponseStream extends Writable {
  private prelude: ResponsePrelude = { statusCode: 200, headers: { 'content-type': 'application/octet-stream' } };
  private held: Buffer[] = [];
  private heldBytes = 0;
  private release: NodeJS.Immediate | undefined;

  constructor(private readonly res: ServerResponse) {
    super();
    res.once('close', () => {
      if (!res.writableFinished) this.destroy(Object.assign(new Error('client disconnected'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    });
  }

  setPrelude(prelude: ResponsePrelude): void {
    this.prelude = prelude;
  }

  /** What the runtime's stream offers a handler that sets no prelude. */
  setContentType(contentType: string): void {
    this.prelude = { ...this.prelude, headers: { ...this.prelude.headers, 'content-type': contentType } };
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.res.headersSent) return this.send(chunk, callback);
    if (chunk.length > 0) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
    }
    if (this.heldBytes > HOLD_MAX_BYTES) {
      if (this.sendHeld()) callback();
      else this.res.once('drain', () => callback());
      return;
    }
    this.release ??= setImmediate(() => this.sendHeld());
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.res.headersSent) {
      this.res.end(() => callback());
      return;
    }
    clearImmediate(this.release);
    const body = Buffer.concat(this.held, this.heldBytes);
    this.held = [];
    this.writeHead(body.length);
    this.res.end(body, () => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearImmediate(this.release);
    this.held = [];
    callback(error);
  }

  private send(chunk: Buffer, callback: (error?: Error | null) => void): void {
    if (chunk.length === 0 || this.res.write(chunk)) callback();
    else this.res.once('drain', () => callback());
  }

  /**
   * The answer goes on past this turn: the head and what was held go out now, and the rest
   * streams. False when the socket wants a drain before more.
   */
  private sendHeld(): boolean {
    clearImmediate(this.release);
    if (this.res.headersSent || this.destroyed) return true;
    this.writeHead();
    if (this.heldBytes === 0) this.res.flushHeaders();
    let room = true;
    for (const chunk of this.held) room = this.res.write(chunk);
    this.held = [];
    return room;
  }

  /** With `contentLength` when the whole body is known and the handler set no length or encoding of its own. */
  private writeHead(contentLength?: number): void {
    const headers: Record<string, string | string[]> = { ...(this.prelude.headers ?? {}) };
    if (this.prelude.cookies?.length) headers['set-cookie'] = this.prelude.cookies;
    const named = (name: string) => Object.keys(headers).some((header) => header.toLowerCase() === name);
    const status = this.prelude.statusCode ?? 200;
    const mayHaveBody = status >= 200 && status !== 204 && status !== 304 && this.res.req?.method !== 'HEAD';
    if (contentLength !== undefined && mayHaveBody && !named('content-length') && !named('transfer-encoding')) {
      headers['content-length'] = String(contentLength);
    }
    this.res.writeHead(status, headers);
  }
}

/** Installs the `awslambda` global the Node.js Lambda runtime provides, so handlers run unchanged. */
export function installLambdaStreamingGlobals(): void {
  (globalThis as Record<string, unknown>).awslambda = {
    // The local server already calls handlers with a response stream, so nothing needs marking.
    streamifyResponse<T extends (...args: never[]) => unknown>(handler: T): T {
      return handler;
    },
    HttpResponseStream: {
      from(stream: LocalResponseStream, prelude: ResponsePrelude): LocalResponseStream {
        stream.setPrelude(prelude);
        return stream;
      },
    },
  };
}
