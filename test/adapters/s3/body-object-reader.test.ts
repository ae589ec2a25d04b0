/**
 * The gateway's lean S3 GetObject. Against the local S3 server (s3rver, on a free port), objects
 * written by the lean writer come back byte for byte, as stored (a gzip body stays gzip), a
 * missing key is `undefined` and a missing bucket an error. s3rver does not check SigV4
 * signatures, so the signature of the GET is checked by a loopback server that recomputes it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { fixedCredentials, type AwsCredentials } from '../../../lambdas/adapters/aws-http/aws-credentials.js';
import { AwsServiceError } from '../../../lambdas/adapters/aws-http/aws-service-error.js';
import { SignedAwsHttpClient } from '../../../lambdas/adapters/aws-http/signed-aws-request.js';
import { BodyObjectReader, bodyObjectReaderFromEnv } from '../../../lambdas/adapters/s3/body-object-reader.js';
import { bodyObjectWriterFromEnv } from '../../../lambdas/adapters/s3/body-object-writer.js';
import { freePort } from '../../../lambdas/local/free-port.js';
import { S3Local } from '../../../lambdas/local/s3-local.js';
import { parseAuthorization, signatureIsValid, startRecordingServer, stopRecordingServers } from '../aws-http/signature-checking-server.js';

const BUCKET = 'lookout-bodies-reader-test';
const CREDENTIALS: AwsCredentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret/with+chars=', sessionToken: 'token' };

describe('BodyObjectReader against the local S3 server', () => {
  const directory = mkdtempSync(join(tmpdir(), 'lookout-s3-reader-'));
  let s3: S3Local;
  let env: Record<string, string>;

  before(async () => {
    s3 = new S3Local(await freePort(), directory, BUCKET);
    await s3.start();
    env = { LOOKOUT_S3_ENDPOINT: s3.endpoint };
  });
  after(async () => {
    await s3.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  for (const key of ['cache/3f0a9c1e5b7d', "bodies/odd chars/!'()*+&?#%~/x.bin"]) {
    it(`reads back, byte for byte, 1 MiB of binary that putObject stored under ${JSON.stringify(key)} with no encoding`, async () => {
      const bytes = randomBytes(1024 * 1024);
      await bodyObjectWriterFromEnv(env, BUCKET).putObject(key, bytes, { contentType: 'application/octet-stream' });

      const read = await bodyObjectReaderFromEnv(env, BUCKET).get(key);

      assert.ok(read?.equals(bytes), 'the bytes read are the bytes stored');
      const sdk = new S3Client({
        endpoint: s3.endpoint,
        forcePathStyle: true,
        region: 'local',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
      try {
        const object = await sdk.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
        assert.equal(object.ContentType, 'application/octet-stream');
        assert.equal(object.ContentEncoding, undefined);
      } finally {
        sdk.destroy();
      }
    });
  }

  it('hands back a gzip body as stored, without decoding it', async () => {
    const gzipBytes = gzipSync(Buffer.from('{"prompt":"compressible ".repeat(100)}'));
    await bodyObjectWriterFromEnv(env, BUCKET).put('bodies/2026-01-02/r/request.gz', gzipBytes);

    assert.deepEqual(await bodyObjectReaderFromEnv(env, BUCKET).get('bodies/2026-01-02/r/request.gz'), gzipBytes);
  });

  it('reads a key with no object as undefined', async () => {
    assert.equal(await bodyObjectReaderFromEnv(env, BUCKET).get('cache/never-written'), undefined);
  });

  it("fails with S3's error code when the bucket does not exist", async () => {
    await assert.rejects(bodyObjectReaderFromEnv(env, 'no-such-bucket').get('cache/x'), (error: unknown) => {
      assert.ok(error instanceof AwsServiceError, String(error));
      assert.equal(error.name, 'NoSuchBucket');
      assert.equal(error.status, 404);
      return true;
    });
  });
});

describe('BodyObjectReader signing and errors, against a loopback server', () => {
  after(stopRecordingServers);

  const readerFor = (endpoint: string, pathStyle: boolean) =>
    new BodyObjectReader(
      new SignedAwsHttpClient({
        service: 's3',
        region: 'eu-west-1',
        endpoint,
        credentials: fixedCredentials(CREDENTIALS),
        uriEscapePath: false,
      }),
      BUCKET,
      { pathStyle },
    );

  for (const pathStyle of [false, true]) {
    it(`signs GET as S3 checks it, with the empty payload's hash (${pathStyle ? 'path' : 'virtual-hosted'} style)`, async () => {
      const server = await startRecordingServer((_, response) => response.end('stored bytes'));

      assert.deepEqual(await readerFor(server.endpoint, pathStyle).get('cache/a=b'), Buffer.from('stored bytes'));

      const [request] = server.received;
      assert.ok(request);
      assert.equal(request.method, 'GET');
      assert.equal(request.path, `${pathStyle ? `/${BUCKET}` : ''}/cache/a%3Db`);
      assert.equal(request.headers['x-amz-content-sha256'], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      const { service, signedHeaders } = parseAuthorization(request.headers.authorization);
      assert.equal(service, 's3');
      for (const header of ['host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token']) {
        assert.ok(signedHeaders.includes(header), `${header} must be signed`);
      }
      assert.equal(await signatureIsValid(request, CREDENTIALS, { uriEscapePath: false }), true);
    });
  }

  it('reports a 403 AccessDenied (what S3 answers a missing key without s3:ListBucket) as an error, not as a missing object', async () => {
    const server = await startRecordingServer((_, response) =>
      response
        .writeHead(403, { 'content-type': 'application/xml' })
        .end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'),
    );

    await assert.rejects(readerFor(server.endpoint, false).get('cache/k'), { name: 'AccessDenied', status: 403, retryable: false });
    assert.equal(server.received.length, 1, 'one attempt');
  });
});
