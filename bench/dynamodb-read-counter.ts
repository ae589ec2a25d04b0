/**
 * A loopback HTTP proxy in front of DynamoDB Local that counts the items each answer read, per
 * table: a Query's `ScannedCount` (what it read before any filter; its `Count` is kept too), the
 * items of a BatchGetItem's `Responses`, and a GetItem's `Item`. Point an adapter's
 * `LOOKOUT_DYNAMODB_ENDPOINT` at it and read `take()` after each call to learn what that call
 * cost in DynamoDB reads. Every request and answer passes through unchanged.
 */
import { once } from 'node:events';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

/** What the answers since the last `take()` read. */
export interface ReadCount {
  /** Items read, summed over every table. */
  items: number;
  /** Items read per table. */
  byTable: Record<string, number>;
  /** Requests by operation (`Query`, `BatchGetItem`, `GetItem`, ...). */
  requests: Record<string, number>;
  /** Of the Query answers: the items they returned after filters (their `Count`). */
  queryReturned: number;
  /** Bytes of the read answers' bodies (DynamoDB's JSON): what the items weigh on the wire. */
  answerBytes: number;
}

const emptyCount = (): ReadCount => ({ items: 0, byTable: {}, requests: {}, queryReturned: 0, answerBytes: 0 });

export class DynamoDbReadCounter {
  private counted = emptyCount();
  private readonly agent = new Agent({ keepAlive: true });
  private readonly server = createServer((incoming, outgoing) => void this.handle(incoming, outgoing));

  private constructor(private readonly target: URL) {}

  /** Starts a counter in front of `targetEndpoint` on a free loopback port. */
  static async start(targetEndpoint: string): Promise<DynamoDbReadCounter> {
    const counter = new DynamoDbReadCounter(new URL(targetEndpoint));
    counter.server.listen(0, '127.0.0.1');
    await once(counter.server, 'listening');
    return counter;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** The reads counted since the last call, and starts counting again from zero. */
  take(): ReadCount {
    const counted = this.counted;
    this.counted = emptyCount();
    return counted;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
    this.agent.destroy();
  }

  private async handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const operation = String(incoming.headers['x-amz-target'] ?? '').replace(/^DynamoDB_20120810\./, '');
      const answer = await this.forward(incoming, body);
      if (answer.status === 200) this.count(operation, body, answer.body);
      outgoing.writeHead(answer.status, answer.headers).end(answer.body);
    } catch (error) {
      outgoing.writeHead(502, { 'content-type': 'text/plain' }).end(`read counter: ${(error as Error).message}`);
    }
  }

  private count(operation: string, requestBody: Buffer, answerBody: Buffer): void {
    const counted = this.counted;
    counted.requests[operation] = (counted.requests[operation] ?? 0) + 1;
    counted.answerBytes += answerBody.length;
    const add = (table: string, items: number) => {
      counted.items += items;
      counted.byTable[table] = (counted.byTable[table] ?? 0) + items;
    };
    const asked = JSON.parse(requestBody.toString('utf8') || '{}') as { TableName?: string };
    const answer = JSON.parse(answerBody.toString('utf8') || '{}') as {
      ScannedCount?: number;
      Count?: number;
      Item?: unknown;
      Responses?: Record<string, unknown[]>;
    };
    switch (operation) {
      case 'Query':
      case 'Scan':
        add(asked.TableName ?? '?', answer.ScannedCount ?? answer.Count ?? 0);
        counted.queryReturned += answer.Count ?? 0;
        break;
      case 'GetItem':
        add(asked.TableName ?? '?', answer.Item ? 1 : 0);
        break;
      case 'BatchGetItem':
        for (const [table, items] of Object.entries(answer.Responses ?? {})) add(table, items.length);
        break;
    }
  }

  private async forward(
    incoming: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
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
    for (const name of ['content-type', 'x-amzn-requestid', 'x-amz-crc32']) {
      const value = answer.headers[name];
      if (typeof value === 'string') kept[name] = value;
    }
    return { status: answer.statusCode ?? 502, headers: kept, body: Buffer.concat(chunks) };
  }
}
