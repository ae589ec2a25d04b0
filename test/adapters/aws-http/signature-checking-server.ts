/**
 * Loopback servers that stand in for an AWS endpoint in tests, and the receiver's side of SigV4:
 * there is no AWS here and the local emulators (DynamoDB Local, s3rver) do not check SigV4
 * signatures, so a test checks them by signing the request the server received again, with
 * `SignatureV4` from the same library and the same secret, and comparing the Authorization headers.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials } from '../../../lambdas/adapters/aws-http/aws-credentials.js';

export interface ReceivedRequest {
  method: string;
  /** The request target as it arrived: the path, still percent-encoded, and any query. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const servers: Server[] = [];

/** Closes every server `startRecordingServer` started; a test file calls it in `after`. */
export async function stopRecordingServers(): Promise<void> {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
}

/** A loopback server on a free port that records each request and answers with `answer` (200 `{}` by default). */
export async function startRecordingServer(
  answer: (request: ReceivedRequest, response: ServerResponse) => void = (_, response) => response.end('{}'),
) {
  const received: ReceivedRequest[] = [];
  const connections: unknown[] = [];
  const server = createServer(async (incoming: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request = { method: incoming.method!, path: incoming.url!, headers: incoming.headers, body: Buffer.concat(chunks) };
    received.push(request);
    answer(request, response);
  });
  server.on('connection', (socket) => connections.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return { endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, received, connections };
}

/** The parts of a SigV4 Authorization header. */
export function parseAuthorization(header: string | undefined) {
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      header ?? '',
    );
  assert.ok(match, `not a SigV4 Authorization header: ${header}`);
  const [, accessKeyId, day, region, service, signedHeaders, signature] = match;
  return { accessKeyId, day, region, service, signedHeaders: signedHeaders!.split(';'), signature };
}

/**
 * What the service does: signs the request it received again, from the headers the client says
 * it signed and the body as it arrived (not the client's payload hash), and compares.
 * `uriEscapePath`: how the service derives the canonical path from the path as it arrived; every
 * service but S3 encodes it again (true, the default), S3 takes it as it is (false).
 */
export async function signatureIsValid(
  request: ReceivedRequest,
  credentials: AwsCredentials,
  { uriEscapePath = true }: { uriEscapePath?: boolean } = {},
): Promise<boolean> {
  const { region, service, signedHeaders } = parseAuthorization(request.headers.authorization);
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    if (name !== 'x-amz-content-sha256') headers[name] = String(request.headers[name]);
  }
  const verifier = new SignatureV4({ service: service!, region: region!, credentials, sha256: Hash.bind(null, 'sha256'), uriEscapePath });
  const [path, query = ''] = request.path.split('?');
  const resigned = await verifier.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: path!,
      query: Object.fromEntries(new URLSearchParams(query)),
      headers,
      body: request.body,
    },
    { signingDate },
  );
  return resigned.headers.authorization === request.headers.authorization;
}
