/**
 * A loopback HTTP server in front of DynamoDB Local that sees every request whole before deciding
 * what to answer: a subclass forwards it (`forward`), answers on its own, or both. The tests'
 * fault injection and the bench's read counter are two such proxies.
 */
import { once } from 'node:events';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

/** One request as the proxy received it. */
export interface ProxiedRequest {
  /** DynamoDB's operation (`PutItem`, `Query`, ...), from `X-Amz-Target`. */
  operation: string;
  body: Buffer;
  incoming: IncomingMessage;
}

/** DynamoDB Local's answer, with the headers a client reads. */
export interface ForwardedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const ANSWER_HEADERS = ['content-type', 'x-amzn-requestid', 'x-amz-crc32'];

export abstract class DynamoDbLoopbackProxy {
  private readonly agent = new Agent({ keepAlive: true });
  private readonly server = createServer((incoming, outgoing) => void this.receive(incoming, outgoing));

  protected constructor(private readonly target: URL) {}

  /** What to answer `request` with; `forward` hands it to DynamoDB Local. */
  protected abstract handle(request: ProxiedRequest, outgoing: ServerResponse): Promise<void>;

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
    this.agent.destroy();
  }

  /** Listens on a free loopback port; a subclass's `start` returns what this gives back. */
  protected async listen(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  protected async forward({ incoming, body }: ProxiedRequest): Promise<ForwardedAnswer> {
    const { host: _host, ...headers } = incoming.headers;
    const upstream = request({
      hostname: this.target.hostname,
      port: this.target.port,
      method: incoming.method,
      path: incoming.url,
      // DynamoDB Local does not check signatures, so the signed `host` need not match it.
      headers: { ...headers, host: this.target.host },
      agent: this.agent,
    });
    upstream.end(body);
    const [answer] = (await once(upstream, 'response')) as [IncomingMessage];
    const chunks: Buffer[] = [];
    for await (const chunk of answer) chunks.push(chunk as Buffer);
    const kept: Record<string, string> = {};
    for (const name of ANSWER_HEADERS) {
      const value = answer.headers[name];
      if (typeof value === 'string') kept[name] = value;
    }
    return { status: answer.statusCode ?? 502, headers: kept, body: Buffer.concat(chunks) };
  }

  private async receive(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const operation = String(incoming.headers['x-amz-target'] ?? '').replace(/^DynamoDB_20120810\./, '');
      await this.handle({ operation, body: Buffer.concat(chunks), incoming }, outgoing);
    } catch (error) {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`DynamoDB proxy: ${(error as Error).message}`);
    }
  }
}
