/**
 * The gateway's lean S3 PutObject. Against the local S3 server (s3rver, started as the local
 * stack starts it, on a free port) the object is read back with the SDK's S3 client and compared
 * byte for byte, with its Content-Encoding and Content-Type. s3rver does not check SigV4
 * signatures, so the signature (S3's rules: the path signed as sent, the payload's hash in
 * `x-amz-content-sha256`) is checked by a loopback server that recomputes it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { fixedCredentials, type AwsCredentials } from '../../../lambdas/adapters/aws-http/aws-credentials.js';
import { AwsServiceError } from '../../../lambdas/adapters/aws-http/aws-service-error.js';
import { SignedAwsHttpClient } from '../../../lambdas/adapters/aws-http/signed-aws-request.js';
import { BodyObjectWriter, bodyObjectWriterFromEnv, encodeS3Path } from '../../../lambdas/adapters/s3/body-object-writer.js';
import { freePort } from '../../../lambdas/local/free-port.js';
import { S3Local } from '../../../lambdas/local/s3-local.js';
import { parseAuthorization, signatureIsValid, startRecordingServer, stopRecordingServers } from '../aws-http/signature-checking-server.js';

const BUCKET = 'lookout-bodies-test';
const CREDENTIALS: AwsCredentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret/with+chars=', sessionToken: 'token' };

/** Keys the gateway writes, and ones with characters that must be percent-encoded once in the path. */
const KEYS = [
  'bodies/2026-01-02/7c9e6679-7425-40de-944b-e07fc1f90ae7/request.gz',
  'bodies/2026-01-02/a=b/response.gz',
  "bodies/odd chars/!'()*+&?#%~/x.gz",
];

describe('BodyObjectWriter against the local S3 server', () => {
  const directory = mkdtempSync(join(tmpdir(), 'lookout-s3-writer-'));
  let s3: S3Local;
  let env: Record<string, string>;
  let sdk: S3Client;

  before(async () => {
    s3 = new S3Local(await freePort(), directory, BUCKET);
    await s3.start();
    env = { LOOKOUT_S3_ENDPOINT: s3.endpoint };
    sdk = new S3Client({
      endpoint: s3.endpoint,
      forcePathStyle: true,
      region: 'local',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
  });
  after(async () => {
    sdk.destroy();
    await s3.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  for (const key of KEYS) {
    it(`stores the gzip bytes under ${JSON.stringify(key)}, read back by the SDK as BodyBucket.put stores them`, async () => {
      const gzipBytes = gzipSync(Buffer.from(`{"prompt":"${key}","n":${Math.random()}}`));

      await bodyObjectWriterFromEnv(env, BUCKET).put(key, gzipBytes);

      const object = await sdk.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      assert.equal(object.ContentEncoding, 'gzip');
      assert.equal(object.ContentType, 'application/octet-stream');
      assert.deepEqual(Buffer.from(await object.Body!.transformToByteArray()), gzipBytes);
    });
  }

  it("fails with S3's error code, parsed from its XML body, when the bucket does not exist", async () => {
    const failed = await bodyObjectWriterFromEnv(env, 'no-such-bucket')
      .put('bodies/x.gz', gzipSync('x'))
      .then(
        () => assert.fail('must not resolve'),
        (error: unknown) => error,
      );

    assert.ok(failed instanceof AwsServiceError, String(failed));
    assert.equal(failed.name, 'NoSuchBucket');
    assert.equal(failed.status, 404);
    assert.equal(failed.retryable, false);
    assert.match(failed.message, /no-such-bucket/);
  });
});

describe('BodyObjectWriter signing, against a loopback server that recomputes SigV4', () => {
  after(stopRecordingServers);

  /** The path S3 expects: each key segment percent-encoded once, every byte but A-Z a-z 0-9 - _ . ~ (written out here, not the writer's function). */
  const s3Path = (key: string) =>
    key
      .split('/')
      .map((segment) =>
        [...Buffer.from(segment, 'utf8')]
          .map((byte) =>
            /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
              ? String.fromCharCode(byte)
              : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
          )
          .join(''),
      )
      .join('/');

  for (const pathStyle of [false, true]) {
    for (const key of KEYS) {
      it(`signs PUT ${JSON.stringify(key)} as S3 checks it (${pathStyle ? 'path' : 'virtual-hosted'} style)`, async () => {
        const server = await startRecordingServer((_, response) => response.end());
        const writer = new BodyObjectWriter(
          new SignedAwsHttpClient({
            service: 's3',
            region: 'eu-west-1',
            endpoint: server.endpoint,
            credentials: fixedCredentials(CREDENTIALS),
            uriEscapePath: false,
          }),
          BUCKET,
          { pathStyle },
        );
        const gzipBytes = gzipSync('a body');

        await writer.put(key, gzipBytes);

        const [request] = server.received;
        assert.ok(request);
        assert.equal(request.method, 'PUT');
        assert.equal(request.path, `${pathStyle ? `/${BUCKET}` : ''}/${s3Path(key)}`);
        assert.deepEqual(request.body, gzipBytes);
        assert.equal(request.headers['content-encoding'], 'gzip');
        assert.equal(request.headers['content-type'], 'application/octet-stream');
        assert.equal(request.headers['x-amz-content-sha256'], createHash('sha256').update(gzipBytes).digest('hex'));
        const { service, signedHeaders } = parseAuthorization(request.headers.authorization);
        assert.equal(service, 's3');
        for (const header of ['host', 'content-encoding', 'content-type', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token']) {
          assert.ok(signedHeaders.includes(header), `${header} must be signed`);
        }
        assert.equal(await signatureIsValid(request, CREDENTIALS, { uriEscapePath: false }), true);
        assert.equal(await signatureIsValid({ ...request, body: gzipSync('another body') }, CREDENTIALS, { uriEscapePath: false }), false);
      });
    }
  }

  it('would be caught by that check if the path were encoded twice, as the other services sign it (the check can fail)', async () => {
    const server = await startRecordingServer((_, response) => response.end());
    const doubleEncoding = new BodyObjectWriter(
      new SignedAwsHttpClient({
        service: 's3',
        region: 'eu-west-1',
        endpoint: server.endpoint,
        credentials: fixedCredentials(CREDENTIALS),
      }),
      BUCKET,
      { pathStyle: true },
    );

    await doubleEncoding.put('bodies/a=b/request.gz', gzipSync('x'));

    assert.equal(await signatureIsValid(server.received[0]!, CREDENTIALS, { uriEscapePath: false }), false);
  });

  for (const [status, code, retryable] of [
    [503, 'SlowDown', true],
    [500, 'InternalError', true],
    [400, 'RequestTimeout', true],
    [403, 'AccessDenied', false],
  ] as const) {
    it(`reads HTTP ${status} <Code>${code}</Code> as a ${retryable ? 'retryable' : 'final'} ${code} error`, async () => {
      const server = await startRecordingServer((_, response) =>
        response
          .writeHead(status, { 'content-type': 'application/xml' })
          .end(
            `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>It said &quot;${code}&quot;</Message><RequestId>R1</RequestId></Error>`,
          ),
      );
      const writer = new BodyObjectWriter(
        new SignedAwsHttpClient({
          service: 's3',
          region: 'eu-west-1',
          endpoint: server.endpoint,
          credentials: fixedCredentials(CREDENTIALS),
          uriEscapePath: false,
        }),
        BUCKET,
        { pathStyle: false },
      );

      await assert.rejects(writer.put('bodies/k.gz', gzipSync('x')), (error: unknown) => {
        assert.ok(error instanceof AwsServiceError);
        assert.equal(error.name, code);
        assert.equal(error.status, status);
        assert.equal(error.retryable, retryable);
        assert.match(error.message, new RegExp(`It said "${code}"`));
        return true;
      });
      assert.equal(server.received.length, 1, 'one attempt: the recorder retries');
    });
  }

  it('names a 5xx without an XML body by its status, retryable', async () => {
    const server = await startRecordingServer((_, response) => response.writeHead(502).end());
    const writer = new BodyObjectWriter(
      new SignedAwsHttpClient({
        service: 's3',
        region: 'eu-west-1',
        endpoint: server.endpoint,
        credentials: fixedCredentials(CREDENTIALS),
        uriEscapePath: false,
      }),
      BUCKET,
      { pathStyle: false },
    );

    await assert.rejects(writer.put('bodies/k.gz', gzipSync('x')), { name: 'S3Error', status: 502, retryable: true });
  });
});

describe('bodyObjectWriterFromEnv', () => {
  it('encodes a key segment by segment, keeping the slashes', () => {
    assert.equal(encodeS3Path("a b/c=d/e+f/!'()*~"), 'a%20b/c%3Dd/e%2Bf/%21%27%28%29%2A~');
  });

  it('needs a region outside the local stack', () => {
    assert.throws(() => bodyObjectWriterFromEnv({}, BUCKET), /AWS_REGION/);
  });
});
