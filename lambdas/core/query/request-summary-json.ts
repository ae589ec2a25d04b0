import { nanoUsdToUsd } from '../pricing/compute-cost.js';
import type { RequestLogRecord } from '../request-log/request-log-record.js';
import type { RequestSummaryJson } from './schemas/request-json-schemas.js';

/** The query API's JSON for one request (bodies excluded). */
export function requestSummaryJson(record: RequestLogRecord): RequestSummaryJson {
  const { createdAtMs, costNanoUsd, savedNanoUsd, requestBody: _requestBody, responseBody: _responseBody, ...rest } = record;
  return {
    ...rest,
    createdAt: new Date(createdAtMs).toISOString(),
    costUsd: nanoUsdToUsd(costNanoUsd),
    savedUsd: nanoUsdToUsd(savedNanoUsd),
  };
}
