import type { SignedAwsHttpClient } from '../aws-http/signed-aws-request.js';
import { encodeS3Path, s3ClientFromEnv, s3ErrorFromResponse } from './body-object-writer.js';

/** The SHA-256 of an empty payload, which a signed GET carries in `x-amz-content-sha256`. */
const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * S3 GetObject from the bodies bucket on the lean signed client, for the gateway's one read
 * there: a response-cache entry too large for its DynamoDB item (`dynamodb/response-cache-table.ts`).
 * It is `body-object-writer.ts`'s counterpart, signed the same way, so the gateway's bundle still
 * holds no S3 SDK client; the query API keeps the SDK's reads (`body-bucket.ts`).
 *
 * The bytes come back as stored: `node:http` does not undo a `Content-Encoding`. One attempt per
 * call: the cache reading it gives up quickly anyway. A missing object (`NoSuchKey`) is
 * `undefined`, any other non-2xx answer an `AwsServiceError` named by S3's `<Code>`. Without
 * `s3:ListBucket` on the bucket, S3 answers a missing object with 403 `AccessDenied` instead, which
 * is then an error like any other.
 */
export class BodyObjectReader {
  private readonly pathPrefix: string;

  /** `pathStyle`: the bucket is the path's first segment (the local S3 server), not the host's first label. */
  constructor(
    private readonly http: SignedAwsHttpClient,
    private readonly bucketName: string,
    { pathStyle }: { pathStyle: boolean },
  ) {
    this.pathPrefix = pathStyle ? `/${encodeS3Path(bucketName)}` : '';
  }

  /** The object's bytes, or undefined when there is no object under `key`. */
  async get(key: string): Promise<Buffer | undefined> {
    const response = await this.http.send({
      method: 'GET',
      path: `${this.pathPrefix}/${encodeS3Path(key)}`,
      headers: { 'x-amz-content-sha256': EMPTY_PAYLOAD_SHA256 },
      body: '',
    });
    if (response.status >= 200 && response.status <= 299) return response.body;
    const error = s3ErrorFromResponse(`GetObject s3://${this.bucketName}/${key}`, response);
    if (error.name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** The reader for a function's environment, reaching the bucket as `bodyObjectWriterFromEnv` does. */
export function bodyObjectReaderFromEnv(env: Readonly<Record<string, string | undefined>>, bucketName: string): BodyObjectReader {
  const { http, pathStyle } = s3ClientFromEnv(env, bucketName, 'S3 reader');
  return new BodyObjectReader(http, bucketName, { pathStyle });
}
