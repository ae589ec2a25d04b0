import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialsSource } from './aws-credentials.js';

/**
 * AWS requests signed with SigV4 and sent over a pooled keep-alive connection, for the calls on
 * the gateway's hot path. A CPU profile (issue 8) put the AWS SDK v3 DocumentClient's PutCommand
 * at about 275 µs of CPU per request-log write, most of it the SDK's middleware stack, endpoint
 * rules and serde; in the same profile a PutItem signed with SigV4 and sent over a pooled agent
 * cost about 40 µs.
 * Measured here (CPU per request-log put, user + system of the Node process, median of alternating
 * rounds; a 2-core machine shared with other work, where a bare keep-alive node:http round trip
 * alone costs 270-360 µs, so only the ratio carries over): against DynamoDB Local, SDK PutCommand
 * about 3,000 µs, this path about 1,600 µs; against a loopback server answering `{}`, 800-1,500 µs
 * and 370-480 µs.
 *
 * The signing is `@smithy/signature-v4` (the SDK's own signer), never a hand-written one. The
 * transport is Node's built-in `node:http` / `node:https` with a keep-alive `Agent`, deliberately
 * not undici: undici alone is 285-526 KB of the gateway bundle, whose budget is 400 KB minified,
 * and importing it took about 160 ms here (it compiles its HTTP parser, WebAssembly, at load),
 * more than the whole cold-start budget of 100 ms. Its client does cost less CPU per request
 * (71 µs against node:http's 163 µs for a small buffered call, measured for the upstream
 * adapter); the gateway pays that difference for a bundle of about 210 KB.
 *
 * The service's signing name is a parameter: DynamoDB's JSON protocol (`dynamodb/dynamodb-json-client.ts`),
 * S3 PutObject (`s3/body-object-writer.ts`) and SQS SendMessage (`sqs/dead-letter-sender.ts`) use it.
 *
 * @example
 *   const dynamodb = new SignedAwsHttpClient({ service: 'dynamodb', region, endpoint, credentials });
 *   const { status, body } = await dynamodb.send({ method: 'POST', path: '/', headers, body: json });
 */

export interface SignedAwsHttpClientOptions {
  /** The service's signing name: `dynamodb`, `s3`, `sqs`. */
  service: string;
  region: string;
  /** Where requests go: `https://dynamodb.eu-west-1.amazonaws.com`, or DynamoDB Local's `http://127.0.0.1:8000`. */
  endpoint: string;
  credentials: AwsCredentialsSource;
  /** A request whose connection stays silent this long fails (with `code` `ETIMEDOUT`). */
  idleTimeoutMs?: number;
  /**
   * Whether the signer URI-encodes the path again for the canonical request (SigV4's default,
   * true). S3 is the exception: it signs the path exactly as sent, so an S3 client passes false
   * and sends a path whose key segments it has encoded once itself.
   */
  uriEscapePath?: boolean;
}

export interface AwsHttpRequest {
  method: string;
  /** The path under the endpoint's host, `/` for the JSON protocols. */
  path: string;
  /** Headers to sign and send; `host`, `content-length` and the signature's own are added. */
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** Any answer the service gave, 2xx or not: the caller reads its protocol's errors from it. */
export interface AwsHttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A request that got no complete answer: the connection was refused, reset, timed out, or closed
 * before the whole body arrived. Whether the service acted on it is unknown.
 */
export class AwsNetworkError extends Error {
  override readonly name = 'AwsNetworkError';

  constructor(
    message: string,
    /** The socket error's code (`ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`...), when there was one. */
    readonly code: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Above the service's worst latency by far: this only catches a connection that went silent. */
const DEFAULT_IDLE_TIMEOUT_MS = 10_000;

// One pool per protocol for the whole process: the gateway's key lookups and log writes reach
// the same endpoint, so a log write reuses the connection (and TLS session) a lookup opened.
// Free sockets in a Node agent are unref'd, so the pool never keeps a process alive.
// A Lambda instance runs one invocation at a time and needs one or two sockets. Locally, one
// process answers every client, and without a cap each of the up to 256 pending log writes
// opened its own connection to DynamoDB Local (about 258 after a 3 s burst at 32 connections),
// costing connects in the gateway and a connection each in the JVM; past the cap, requests
// queue in the agent for the next free socket.
const MAX_SOCKETS_PER_ENDPOINT = 16;
const keepAliveAgents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_ENDPOINT }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_ENDPOINT }),
};

/** Signs each request for one service and region and sends it to one endpoint. */
export class SignedAwsHttpClient {
  private readonly signer: SignatureV4;
  private readonly url: URL;
  private readonly host: string;
  private readonly agent: HttpAgent;
  private readonly idleTimeoutMs: number;

  constructor({
    service,
    region,
    endpoint,
    credentials,
    idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
    uriEscapePath = true,
  }: SignedAwsHttpClientOptions) {
    this.url = new URL(endpoint);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') throw new Error(`${service} endpoint ${endpoint} is not http(s)`);
    this.host = this.url.host;
    this.agent = keepAliveAgents[this.url.protocol];
    this.idleTimeoutMs = idleTimeoutMs;
    this.signer = new SignatureV4({ service, region, credentials, sha256: Hash.bind(null, 'sha256'), uriEscapePath });
  }

  /**
   * Signs and sends one request, once. Resolves with whatever the service answered; rejects with
   * an `AwsNetworkError` when no complete answer came, or with the credentials' error.
   */
  async send(request: AwsHttpRequest): Promise<AwsHttpResponse> {
    const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
    const signed = await this.signer.sign({
      method: request.method,
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      path: request.path,
      query: {},
      headers: { ...request.headers, host: this.host, 'content-length': String(body.byteLength) },
      body,
    });
    return this.transmit(request.method, request.path, signed.headers, body);
  }

  private transmit(method: string, path: string, headers: Record<string, string>, body: Uint8Array): Promise<AwsHttpResponse> {
    const { protocol, hostname, port } = this.url;
    return new Promise((resolve, reject) => {
      const fail = (error: NodeJS.ErrnoException) =>
        reject(
          error instanceof AwsNetworkError
            ? error
            : new AwsNetworkError(`${method} ${this.url.origin}${path} failed: ${error.message}`, error.code, { cause: error }),
        );
      const send = protocol === 'https:' ? httpsRequest : httpRequest;
      const outgoing = send({ protocol, hostname, port, method, path, headers, agent: this.agent }, (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', fail);
        // A body cut short (fewer bytes than Content-Length, or a chunked body without its end)
        // closes without 'end': without this the promise would never settle.
        response.on('close', () => {
          if (!response.complete) fail(new AwsNetworkError(`${method} ${this.url.origin}${path}: the answer was cut short`, 'ECONNRESET'));
        });
      });
      outgoing.setTimeout(this.idleTimeoutMs, () =>
        outgoing.destroy(new AwsNetworkError(`${method} ${this.url.origin}${path}: no data for ${this.idleTimeoutMs} ms`, 'ETIMEDOUT')),
      );
      outgoing.on('error', fail);
      outgoing.end(body);
    });
  }
}
