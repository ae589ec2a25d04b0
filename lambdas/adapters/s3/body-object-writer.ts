import { createHash } from 'node:crypto';
import { EnvironmentVariable } from '../../contract/environment-variables.js';
import type { BodyStore } from '../../core/ports/body-store.js';
import { environmentCredentials, fixedCredentials } from '../aws-http/aws-credentials.js';
import { awsServiceHost, regionFromEnv } from '../aws-http/aws-region.js';
import { AwsServiceError, quotedBody } from '../aws-http/aws-service-error.js';
import { type AwsHttpResponse, SignedAwsHttpClient } from '../aws-http/signed-aws-request.js';

/**
 * The gateway's S3 PutObject into the bodies bucket, as a SigV4-signed request over
 * `SignedAwsHttpClient`: the S3 SDK client (about 250 KB of the gateway's bundle with
 * `@smithy/core`) is left to the query API, which also reads and presigns (`body-bucket.ts`). A
 * logged body is stored as `BodyBucket.put` stores it: `Content-Type: application/octet-stream`,
 * `Content-Encoding: gzip`; a response-cache entry too large for its item (`putObject`) as its
 * bytes are, with no encoding (GetObject, `body-object-reader.ts`, hands them back unchanged).
 *
 * S3's signing differs from the other services' in two ways, both handled here: the path is
 * signed exactly as sent (the client is built with `uriEscapePath: false`, and each key segment
 * is URI-encoded once, RFC 3986 style, as the SDK does), and the payload's SHA-256 goes in
 * `x-amz-content-sha256`.
 *
 * One attempt per call: the request-log recorder retries the whole record with its own backoff.
 * A non-2xx answer is an `AwsServiceError` named by the `<Code>` of S3's XML error body.
 */
export class BodyObjectWriter implements BodyStore {
  private readonly pathPrefix: string;

  /**
   * `pathStyle`: the bucket is the path's first segment (`/<bucket>/<key>`, the local S3 server)
   * rather than the host's first label (`<bucket>.s3.<region>.amazonaws.com/<key>`).
   */
  constructor(
    private readonly http: SignedAwsHttpClient,
    private readonly bucketName: string,
    { pathStyle }: { pathStyle: boolean },
  ) {
    this.pathPrefix = pathStyle ? `/${encodeS3Path(bucketName)}` : '';
  }

  async put(key: string, gzipBytes: Uint8Array): Promise<void> {
    await this.putObject(key, gzipBytes, { contentType: 'application/octet-stream', contentEncoding: 'gzip' });
  }

  /** Stores `bytes` under `key` as they are, with the content type (and encoding, when they have one) given. */
  async putObject(key: string, bytes: Uint8Array, { contentType, contentEncoding }: ObjectContent): Promise<void> {
    const response = await this.http.send({
      method: 'PUT',
      path: `${this.pathPrefix}/${encodeS3Path(key)}`,
      headers: {
        'content-type': contentType,
        ...(contentEncoding !== undefined && { 'content-encoding': contentEncoding }),
        'x-amz-content-sha256': createHash('sha256').update(bytes).digest('hex'),
      },
      body: bytes,
    });
    if (response.status < 200 || response.status > 299) throw s3ErrorFromResponse(`PutObject s3://${this.bucketName}/${key}`, response);
  }
}

/** How an object's bytes are to be read: its `Content-Type`, and its `Content-Encoding` when it has one. */
export interface ObjectContent {
  contentType: string;
  contentEncoding?: string;
}

/**
 * A key (or bucket) as it goes in the path, and is signed: every byte but the unreserved
 * characters (`A-Z a-z 0-9 - _ . ~`) percent-encoded, `/` kept as the separator. This is the
 * SDK's `extendedEncodeURIComponent` per segment.
 */
export function encodeS3Path(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** Error codes S3 answers when it is overloaded rather than when the request is wrong: worth another try. */
const RETRYABLE_CODES = new Set(['SlowDown', 'RequestTimeout', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded']);

/** The error of a non-2xx answer: `<Error><Code>NoSuchBucket</Code><Message>...</Message></Error>`. */
export function s3ErrorFromResponse(what: string, response: AwsHttpResponse): AwsServiceError {
  const xml = response.body.toString('utf8');
  const code = xmlElementText(xml, 'Code');
  const message = xmlElementText(xml, 'Message');
  return new AwsServiceError(
    code ?? 'S3Error',
    `S3 ${what} answered HTTP ${response.status}: ${message ?? code ?? quotedBody(response.body)}`,
    response.status,
    response.status >= 500 || response.status === 429 || (code !== undefined && RETRYABLE_CODES.has(code)),
  );
}

// S3's error bodies are flat and never nest an element in itself; the five XML entities are all
// that can appear in their text.
function xmlElementText(xml: string, element: string): string | undefined {
  const text = new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1];
  if (!text) return undefined;
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, entity: string) => XML_ENTITIES[entity]!);
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

/**
 * The writer for a function's environment: `LOOKOUT_S3_ENDPOINT` points it at the local S3
 * server (`npm start`, tests), path-style, with the credentials s3rver knows (`S3RVER`); in AWS
 * it signs with the credentials and region Lambda puts in the environment and uses the bucket's
 * virtual-hosted endpoint (path-style on the regional endpoint for a bucket name with a dot,
 * which a virtual host's TLS certificate does not cover, as the SDK does).
 */
export function bodyObjectWriterFromEnv(env: Readonly<Record<string, string | undefined>>, bucketName: string): BodyObjectWriter {
  const { http, pathStyle } = s3ClientFromEnv(env, bucketName, 'S3 writer');
  return new BodyObjectWriter(http, bucketName, { pathStyle });
}

/** The signed client that reaches `bucketName` from a function's environment, as `bodyObjectWriterFromEnv` says; `client` names it in errors. */
export function s3ClientFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  bucketName: string,
  client: string,
): { http: SignedAwsHttpClient; pathStyle: boolean } {
  const endpoint = env[EnvironmentVariable.s3Endpoint];
  if (endpoint) {
    const s3rver = fixedCredentials({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    return {
      http: new SignedAwsHttpClient({
        service: 's3',
        region: env.AWS_REGION ?? 'local',
        endpoint,
        credentials: s3rver,
        uriEscapePath: false,
      }),
      pathStyle: true,
    };
  }
  const region = regionFromEnv(env, client);
  const domain = awsServiceHost('s3', region);
  const pathStyle = bucketName.includes('.');
  return {
    http: new SignedAwsHttpClient({
      service: 's3',
      region,
      endpoint: pathStyle ? `https://${domain}` : `https://${bucketName}.${domain}`,
      credentials: environmentCredentials(env),
      uriEscapePath: false,
    }),
    pathStyle,
  };
}
