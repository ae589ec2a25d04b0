import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, StreamifyHandler } from 'aws-lambda';
import { HEALTH_CHECK_PATH, isQueryApiPath } from '../contract/routes.js';
import { apiGatewayEventFrom } from './api-gateway-event.js';
import { LocalResponseStream } from './lambda-streaming-globals.js';

export interface LocalHttpServerOptions {
  /** The streaming gateway handler, called as the runtime calls one: event, response stream, context. */
  gateway: StreamifyHandler<APIGatewayProxyEvent, unknown>;
  queryApi: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
  /** Bodies past this are cut here, as API Gateway would refuse them; the handler answers 413. */
  maxBodyBytes: number;
  isHealthy(): Promise<boolean>;
  onInvocationError(route: string, error: unknown): void;
  /**
   * How many answered invocations may still be writing their request log. At the bound, new
   * requests wait (unread, on their connections) until one finishes, so a load the local
   * DynamoDB cannot keep up with slows the clients instead of piling up logs in memory. In AWS
   * each Lambda instance runs one invocation at a time, so its log is never queued behind others.
   */
  maxPendingLogWrites: number;
}

/**
 * The HTTP face of `npm start`: what API Gateway does in AWS. The query API's paths
 * (contract/routes.ts) go to the query API Lambda, everything else to the streaming gateway
 * Lambda, each as a REST proxy event. `/healthz` is answered here: locally, being up means
 * DynamoDB Local answers.
 */
export function createLocalHttpServer(options: LocalHttpServerOptions): LocalHttpServer {
  const invocations = new Set<Promise<void>>();
  const logWrites = new PendingLogWrites(options.maxPendingLogWrites);
  const server = createServer((req, res) => {
    const invocation = logWrites
      .room()
      .then(() => {
        res.once('finish', logWrites.answered);
        return handle(req, res, options);
      })
      .catch((error) => {
        options.onInvocationError(req.url ?? '', error);
        if (!res.headersSent) sendJson(res, 502, { message: 'Internal server error' });
        else res.destroy();
      })
      .finally(() => {
        if (res.writableFinished) logWrites.settled();
        else res.off('finish', logWrites.answered);
      });
    invocations.add(invocation);
    void invocation.finally(() => invocations.delete(invocation));
  });
  server.keepAliveTimeout = 65_000;
  return {
    server,
    async idle() {
      while (invocations.size > 0) await Promise.allSettled([...invocations]);
    },
    async close(graceMs) {
      server.close();
      server.closeIdleConnections();
      // Invocations run past their response (the request log is written after the last byte):
      // let them finish while the tables are still up, as a Lambda would.
      const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([Promise.allSettled([...invocations]), grace]);
      server.closeAllConnections();
    },
  };
}

export interface LocalHttpServer {
  server: Server;
  /** Settles once no invocation is running, request-log writes (and their retries) included. */
  idle(): Promise<void>;
  /** Stops accepting requests and waits up to `graceMs` for running invocations to finish. */
  close(graceMs: number): Promise<void>;
}

/**
 * Counts invocations between their answer's last byte and their end (the request-log write),
 * and makes new requests wait while there are `max` of them. Requests already running when the
 * bound is reached still finish, so at most `max` plus the requests in flight are pending.
 */
class PendingLogWrites {
  private pending = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  room(): Promise<void> {
    if (this.pending < this.max) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  readonly answered = (): void => {
    this.pending++;
  };

  /** One finished write makes room for one waiting request, so a burst of them cannot overshoot. */
  settled(): void {
    this.pending--;
    if (this.pending < this.max) this.waiting.shift()?.();
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, options: LocalHttpServerOptions): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === HEALTH_CHECK_PATH) {
    const healthy = await options.isHealthy();
    return sendJson(res, healthy ? 200 : 503, { status: healthy ? 'ok' : 'starting' });
  }
  const body = await readBody(req, options.maxBodyBytes + 1);
  const context = lambdaContext();
  if (isQueryApiPath(path)) {
    const result = await options.queryApi(apiGatewayEventFrom(req, body, '/v1/{proxy+}'), context);
    res.writeHead(result.statusCode, { ...(result.headers as Record<string, string>) });
    res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined);
    return;
  }
  const responseStream = new LocalResponseStream(res);
  try {
    await options.gateway(apiGatewayEventFrom(req, body, '/{proxy+}'), responseStream, context);
  } catch (error) {
    // A client that went away mid-stream surfaces here as a failed pipeline; that is not a fault.
    if (!responseStream.destroyed) throw error;
  }
}

/** Reads the body up to `limit` bytes, then keeps draining so the client is not left hanging. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (kept >= limit) continue;
    const piece = chunk.subarray(0, limit - kept);
    chunks.push(piece);
    kept += piece.length;
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function lambdaContext(): Context {
  const deadline = Date.now() + 15 * 60_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'lookout-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:lookout-local',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/lookout-local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
