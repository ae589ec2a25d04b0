import type { BodyReader } from '../../core/ports/body-reader.js';
import type { RequestLogReads } from '../../core/ports/request-log-reads.js';
import { LookoutError } from '../../core/lookout-error.js';
import { requestSummaryJson } from '../../core/query/request-summary-json.js';
import type { RequestDetailJson } from '../../core/query/schemas/request-json-schemas.js';
import { bodyJsonFromBytes, bodyJsonFromGzip, type BodyJson } from '../../core/query/stored-body-json.js';
import type { StoredBody } from '../../core/request-log/request-log-record.js';
import type { QueryLogger } from './query-logger.js';

/** How long a link to a large body stays valid. */
const SIGNED_BODY_URL_SECONDS = 15 * 60;

export interface RequestDetailDependencies {
  reads: RequestLogReads;
  bodies: BodyReader;
  logger: QueryLogger;
}

/** `GET /v1/requests/{id}`: the request with its bodies decoded, or linked when too large to answer inline; a 404 when unknown. */
export async function readRequestDetail(deps: RequestDetailDependencies, requestId: string): Promise<RequestDetailJson> {
  const record = await deps.reads.findById(requestId);
  if (!record) throw new LookoutError(404, 'not_found', `No request logged with id "${requestId}"`);
  const [requestBody, responseBody] = await Promise.all([
    storedBody(deps, requestId, record.requestBody),
    storedBody(deps, requestId, record.responseBody),
  ]);
  return {
    ...requestSummaryJson(record),
    requestBody: requestBody?.body ?? null,
    requestBodyEncoding: requestBody?.encoding ?? null,
    requestBodyUrl: requestBody?.url ?? null,
    responseBody: responseBody?.body ?? null,
    responseBodyEncoding: responseBody?.encoding ?? null,
    responseBodyUrl: responseBody?.url ?? null,
  };
}

async function storedBody(deps: RequestDetailDependencies, requestId: string, stored: StoredBody | null): Promise<BodyJson | null> {
  if (stored === null) return null;
  if ('raw' in stored) return bodyJsonFromBytes(stored.raw);
  // Inline bodies are a few KB of gzip: nothing realistic decompresses past the inline limit.
  if ('gzip' in stored) return bodyJsonFromGzip(stored.gzip, Number.MAX_SAFE_INTEGER);
  try {
    return (
      bodyJsonFromGzip(await deps.bodies.get(stored.s3Key)) ?? {
        body: null,
        encoding: 'url',
        url: await deps.bodies.signedGetUrl(stored.s3Key, SIGNED_BODY_URL_SECONDS),
      }
    );
  } catch (error) {
    // The bucket's lifecycle can remove a body a little before DynamoDB's TTL removes its item.
    if ((error as Error)?.name !== 'NoSuchKey') throw error;
    deps.logger.warn('request body object is gone', { requestId, s3Key: stored.s3Key });
    return null;
  }
}
