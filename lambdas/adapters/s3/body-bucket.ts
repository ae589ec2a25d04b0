import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { EnvironmentVariable } from '../../contract/environment-variables.js';
import type { BodyReader } from '../../core/ports/body-reader.js';
import type { BodyStore } from '../../core/ports/body-store.js';
import type { SdkRetryOptions } from '../sdk-retry-options.js';

/**
 * Request and response bodies too large for the log item, in the bodies bucket. Objects are
 * stored gzip-compressed. `LOOKOUT_S3_ENDPOINT` points it at the local S3 server (`npm start`,
 * tests), which needs path-style addressing.
 */
export class BodyBucket implements BodyStore, BodyReader {
  private readonly client: S3Client;

  constructor(
    env: Readonly<Record<string, string | undefined>>,
    private readonly bucketName: string,
    { maxAttempts }: SdkRetryOptions = {},
  ) {
    const endpoint = env[EnvironmentVariable.s3Endpoint];
    this.client = new S3Client({
      ...(endpoint
        ? {
            endpoint,
            forcePathStyle: true,
            region: env.AWS_REGION ?? 'local',
            credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
          }
        : {}),
      maxAttempts,
    });
  }

  async put(key: string, gzipBytes: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        Body: gzipBytes,
        ContentType: 'application/octet-stream',
        ContentEncoding: 'gzip',
      }),
    );
  }

  async signedGetUrl(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucketName, Key: key }), { expiresIn: expiresInSeconds });
  }

  async get(key: string): Promise<Uint8Array> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucketName, Key: key }));
    return await object.Body!.transformToByteArray();
  }
}
