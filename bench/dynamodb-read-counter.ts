/**
 * A loopback HTTP proxy in front of DynamoDB Local that counts the items each answer read, per
 * table: a Query's `ScannedCount` (what it read before any filter; its `Count` is kept too), the
 * items of a BatchGetItem's `Responses`, and a GetItem's `Item`. Point an adapter's
 * `LOOKOUT_DYNAMODB_ENDPOINT` at it and read `take()` after each call to learn what that call
 * cost in DynamoDB reads. Every request and answer passes through unchanged.
 */
import type { ServerResponse } from 'node:http';
import { DynamoDbLoopbackProxy, type ProxiedRequest } from '../test/support/dynamodb-loopback-proxy.js';

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

export class DynamoDbReadCounter extends DynamoDbLoopbackProxy {
  private counted = emptyCount();

  /** Starts a counter in front of `targetEndpoint` on a free loopback port. */
  static start(targetEndpoint: string): Promise<DynamoDbReadCounter> {
    return new DynamoDbReadCounter(new URL(targetEndpoint)).listen();
  }

  /** The reads counted since the last call, and starts counting again from zero. */
  take(): ReadCount {
    const counted = this.counted;
    this.counted = emptyCount();
    return counted;
  }

  protected async handle(request: ProxiedRequest, outgoing: ServerResponse): Promise<void> {
    const answer = await this.forward(request);
    if (answer.status === 200) this.count(request.operation, request.body, answer.body);
    outgoing.writeHead(answer.status, answer.headers).end(answer.body);
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
}
