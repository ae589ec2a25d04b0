import type { ServerResponse } from 'node:http';
import { DynamoDbLoopbackProxy, type ProxiedRequest } from '../../support/dynamodb-loopback-proxy.js';

/**
 * A loopback HTTP proxy in front of DynamoDB Local that answers the next requests with the faults
 * a test queues (throttling, a 5xx, an unreadable 200, a dropped connection) and forwards every
 * other request untouched, so a test sees what a client does when DynamoDB misbehaves the way it
 * does in AWS, and then what really got stored.
 */

/** What the proxy does with one request instead of (or on top of) forwarding it. */
export type InjectedFault =
  /** Answers an error in DynamoDB's JSON shape; the request never reaches DynamoDB. */
  | { kind: 'error'; status: number; type: string; message?: string }
  /** Answers this status and body as they are; the request never reaches DynamoDB. */
  | { kind: 'answer'; status: number; body: string }
  /** Forwards the request (DynamoDB acts on it), then answers 200 with the real body cut in half. */
  | { kind: 'forward-then-truncate' }
  /** Closes the connection without answering; the request never reaches DynamoDB. */
  | { kind: 'drop-connection' };

/** A 400 throttling error, as DynamoDB answers it. */
export function throttled(
  type: 'ProvisionedThroughputExceededException' | 'ThrottlingException' = 'ProvisionedThroughputExceededException',
): InjectedFault {
  return { kind: 'error', status: 400, type, message: 'The level of configured provisioned throughput for the table was exceeded.' };
}

/** A 500 `InternalServerError`, as DynamoDB answers it. */
export function internalServerError(): InjectedFault {
  return { kind: 'error', status: 500, type: 'InternalServerError', message: 'Internal server error' };
}

/** A 503 with a plain-text body, as a load balancer in the way answers it. */
export function serviceUnavailable(): InjectedFault {
  return { kind: 'answer', status: 503, body: 'Service Unavailable' };
}

export class FaultInjectingProxy extends DynamoDbLoopbackProxy {
  /** Faults for the next requests, first in first out; when empty, requests are forwarded. */
  readonly faults: InjectedFault[] = [];
  /** The operation (`PutItem`, `GetItem`, ...) of every request received, in order. */
  readonly operations: string[] = [];
  /** How many requests reached DynamoDB Local. */
  forwarded = 0;

  /** Starts a proxy to `targetEndpoint` on a free loopback port. */
  static start(targetEndpoint: string): Promise<FaultInjectingProxy> {
    return new FaultInjectingProxy(new URL(targetEndpoint)).listen();
  }

  /** Requests received for `operation`. */
  count(operation: string): number {
    return this.operations.filter((name) => name === operation).length;
  }

  protected async handle(request: ProxiedRequest, outgoing: ServerResponse): Promise<void> {
    this.operations.push(request.operation);
    const fault = this.faults.shift();
    if (fault?.kind === 'drop-connection') {
      request.incoming.socket.destroy();
      return;
    }
    if (fault?.kind === 'error') {
      const json = { __type: `com.amazonaws.dynamodb.v20120810#${fault.type}`, message: fault.message ?? fault.type };
      outgoing.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(json));
      return;
    }
    if (fault?.kind === 'answer') {
      outgoing.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.0' }).end(fault.body);
      return;
    }
    this.forwarded++;
    const answer = await this.forward(request);
    if (fault?.kind === 'forward-then-truncate') {
      outgoing
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
        .end(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
      return;
    }
    outgoing.writeHead(answer.status, answer.headers).end(answer.body);
  }
}
