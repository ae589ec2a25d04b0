import { Writable } from 'node:stream';
import type { ServerResponse } from 'node:http';

/** The prelude a streaming handler sends before the body (status and headers). */
export interface ResponsePrelude {
  statusCode?: number;
  headers?: Record<string, string>;
  cookies?: string[];
}

/**
 * What the Lambda runtime hands a streaming handler as `responseStream`, writing to a Node HTTP
 * response: the prelude becomes the status line and headers on the first write, every write is
 * sent at once, and a client that goes away destroys the stream as the real runtime does.
 */
export class LocalResponseStream extends Writable {
  private prelude: ResponsePrelude = { statusCode: 200, headers: { 'content-type': 'application/octet-stream' } };

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
    this.sendHead();
    if (chunk.length === 0) return callback();
    if (this.res.write(chunk)) callback();
    else this.res.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.sendHead();
    this.res.end(() => callback());
  }

  private sendHead(): void {
    if (this.res.headersSent) return;
    const headers: Record<string, string | string[]> = { ...(this.prelude.headers ?? {}) };
    if (this.prelude.cookies?.length) headers['set-cookie'] = this.prelude.cookies;
    this.res.writeHead(this.prelude.statusCode ?? 200, headers);
    this.res.flushHeaders();
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
