/**
 * The signed-request client against loopback servers. There is no AWS here and DynamoDB Local
 * does not check signatures, so the signature is checked by a server that recomputes SigV4 for
 * the request it received (method, path, the headers the client says it signed, and the body as
 * it arrived) with `SignatureV4` from the same library and the same secret, and compares it with
 * the Authorization header; it also checks the header's structure, `x-amz-date` and the session
 * token. The transport's failures (refused, cut short, silent) are each provoked for real.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { environmentCredentials, fixedCredentials, type AwsCredentials } from '../../../lambdas/adapters/aws-http/aws-credentials.js';
import { AwsNetworkError, SignedAwsHttpClient } from '../../../lambdas/adapters/aws-http/signed-aws-request.js';
import { freePort } from '../../../lambdas/local/free-port.js';

const REGION = 'eu-west-1';
const SESSION_CREDENTIALS: AwsCredentials = {
  accessKeyId: 'ASIAEXAMPLEKEYID',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//session+token=',
};

interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const servers: Server[] = [];
after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

/** A loopback server that records each request and answers with `answer` (200 `{}` by default). */
async function startServer(answer: (request: ReceivedRequest, response: ServerResponse) => void = (_, response) => response.end('{}')) {
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
function parseAuthorization(header: string | undefined) {
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
 */
async function signatureIsValid(request: ReceivedRequest, credentials: AwsCredentials): Promise<boolean> {
  const { region, service, signedHeaders } = parseAuthorization(request.headers.authorization);
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    if (name !== 'x-amz-content-sha256') headers[name] = String(request.headers[name]);
  }
  const verifier = new SignatureV4({ service: service!, region: region!, credentials, sha256: Hash.bind(null, 'sha256') });
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

const DYNAMODB_HEADERS = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem' };

describe('SignedAwsHttpClient', () => {
  it('signs a DynamoDB request so that SigV4, recomputed by the receiver, matches', async () => {
    const server = await startServer();
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: fixedCredentials(SESSION_CREDENTIALS),
    });
    const before = Date.now();

    const response = await client.send({
      method: 'POST',
      path: '/',
      headers: DYNAMODB_HEADERS,
      body: '{"TableName":"lookout-request-log"}',
    });

    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), '{}');
    const [request] = server.received;
    assert.ok(request);
    assert.equal(await signatureIsValid(request, SESSION_CREDENTIALS), true);
    const authorization = parseAuthorization(request.headers.authorization);
    assert.equal(authorization.accessKeyId, SESSION_CREDENTIALS.accessKeyId);
    assert.equal(authorization.region, REGION);
    assert.equal(authorization.service, 'dynamodb');
    for (const header of ['host', 'content-type', 'x-amz-target', 'x-amz-date', 'x-amz-security-token']) {
      assert.ok(authorization.signedHeaders.includes(header), `${header} must be signed`);
    }
    assert.equal(request.headers['x-amz-security-token'], SESSION_CREDENTIALS.sessionToken);
    const amzDate = String(request.headers['x-amz-date']);
    assert.match(amzDate, /^\d{8}T\d{6}Z$/);
    assert.equal(authorization.day, amzDate.slice(0, 8));
    const signedAtMs = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    assert.ok(signedAtMs >= before - 1_000 && signedAtMs <= Date.now(), 'x-amz-date is the time of signing');
    assert.equal(request.headers['content-length'], String(Buffer.byteLength('{"TableName":"lookout-request-log"}')));
  });

  it('is caught by that check when the body is not the one signed (the check can fail)', async () => {
    const server = await startServer();
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: fixedCredentials(SESSION_CREDENTIALS),
    });
    await client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{"TableName":"a"}' });
    const [request] = server.received;

    assert.equal(await signatureIsValid({ ...request!, body: Buffer.from('{"TableName":"b"}') }, SESSION_CREDENTIALS), false);
    assert.equal(await signatureIsValid(request!, { ...SESSION_CREDENTIALS, secretAccessKey: 'another secret' }), false);
  });

  it('reads the credentials from the environment at each call, and sends no session token without one', async () => {
    const server = await startServer();
    const env: Record<string, string | undefined> = { AWS_ACCESS_KEY_ID: 'AKIAFIRST', AWS_SECRET_ACCESS_KEY: 'first-secret' };
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: environmentCredentials(env),
    });

    await client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' });
    Object.assign(env, { AWS_ACCESS_KEY_ID: 'ASIASECOND', AWS_SECRET_ACCESS_KEY: 'second-secret', AWS_SESSION_TOKEN: 'second-token' });
    await client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' });

    const [first, second] = server.received;
    assert.equal(parseAuthorization(first!.headers.authorization).accessKeyId, 'AKIAFIRST');
    assert.equal(first!.headers['x-amz-security-token'], undefined);
    assert.equal(parseAuthorization(first!.headers.authorization).signedHeaders.includes('x-amz-security-token'), false);
    assert.equal(await signatureIsValid(first!, { accessKeyId: 'AKIAFIRST', secretAccessKey: 'first-secret' }), true);
    assert.equal(parseAuthorization(second!.headers.authorization).accessKeyId, 'ASIASECOND');
    assert.equal(second!.headers['x-amz-security-token'], 'second-token');
    assert.equal(
      await signatureIsValid(second!, { accessKeyId: 'ASIASECOND', secretAccessKey: 'second-secret', sessionToken: 'second-token' }),
      true,
    );
  });

  it('says which variables are missing when the environment holds no credentials, and sends nothing', async () => {
    const server = await startServer();
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: environmentCredentials({}),
    });

    await assert.rejects(client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' }), /AWS_ACCESS_KEY_ID/);
    assert.deepEqual(server.received, []);
  });

  it('reuses one kept-alive connection for consecutive requests', async () => {
    const server = await startServer();
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: fixedCredentials(SESSION_CREDENTIALS),
    });

    for (let i = 0; i < 3; i++) await client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' });

    assert.equal(server.received.length, 3);
    assert.equal(server.connections.length, 1);
  });

  it("answers any status the service gave with its body: reading errors is the protocol client's job", async () => {
    const server = await startServer((_, response) => response.writeHead(400).end('{"__type":"x#ValidationException"}'));
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: fixedCredentials(SESSION_CREDENTIALS),
    });

    const response = await client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' });

    assert.equal(response.status, 400);
    assert.equal(response.body.toString(), '{"__type":"x#ValidationException"}');
  });

  for (const [what, answer, code] of [
    [
      'an answer cut short (fewer bytes than its Content-Length)',
      (_: ReceivedRequest, response: ServerResponse) => {
        response.writeHead(200, { 'content-length': '100' });
        // Once these bytes are on their way, the connection goes: the other 92 never come.
        response.write('{"Item":', () => response.socket?.destroy());
      },
      undefined,
    ],
    ['a connection closed without an answer', (_: ReceivedRequest, response: ServerResponse) => response.socket?.destroy(), 'ECONNRESET'],
  ] as const) {
    it(`rejects with a network error on ${what}`, async () => {
      const server = await startServer(answer);
      const client = new SignedAwsHttpClient({
        service: 'dynamodb',
        region: REGION,
        endpoint: server.endpoint,
        credentials: fixedCredentials(SESSION_CREDENTIALS),
      });

      const failed = await client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' }).then(
        () => assert.fail('must not resolve'),
        (error: unknown) => error,
      );

      assert.ok(failed instanceof AwsNetworkError, String(failed));
      if (code) assert.equal(failed.code, code);
    });
  }

  it('rejects with a network error when the connection is refused', async () => {
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: `http://127.0.0.1:${await freePort()}`,
      credentials: fixedCredentials(SESSION_CREDENTIALS),
    });

    await assert.rejects(client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' }), {
      name: 'AwsNetworkError',
      code: 'ECONNREFUSED',
    });
  });

  it('gives up on a connection that stays silent for the idle timeout', async () => {
    const server = await startServer(() => undefined);
    const client = new SignedAwsHttpClient({
      service: 'dynamodb',
      region: REGION,
      endpoint: server.endpoint,
      credentials: fixedCredentials(SESSION_CREDENTIALS),
      idleTimeoutMs: 200,
    });

    await assert.rejects(client.send({ method: 'POST', path: '/', headers: DYNAMODB_HEADERS, body: '{}' }), {
      name: 'AwsNetworkError',
      code: 'ETIMEDOUT',
    });
    assert.equal(server.received.length, 1);
  });
});
