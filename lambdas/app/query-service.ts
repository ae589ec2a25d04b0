import type { GatewayKeyRecord, GatewayKeyRole } from '../core/auth/gateway-key.js';
import { LookoutError } from '../core/lookout-error.js';
import type { HttpRequest } from '../core/http/http-request.js';
import { queryApiOpenApiDocument } from '../core/query/openapi-document.js';
import { proxyRouteHint } from '../core/query/proxy-route-hint.js';
import { queryApiKey } from '../core/query/query-api-key.js';
import { resolveTimeWindow } from '../core/query/time-window.js';
import { isPublicRoute, matchQueryRoute, type QueryRoute } from '../core/query/query-routes.js';
import { parseNoQuery, parseUserRankingQuery, parseUserUsageQuery } from '../core/query/report-queries.js';
import type { BodyReader } from '../core/ports/body-reader.js';
import type { RequestLogReads } from '../core/ports/request-log-reads.js';
import { parseRequestListQuery } from '../core/query/request-list-query.js';
import { bodyJsonFromGzip, type BodyJson } from '../core/query/stored-body-json.js';
import { requestSummaryJson, type StoredBody } from '../core/request-log/request-log-record.js';
import { DEFAULT_REPORT_BOUNDS, rankUsersByCost, readSessionReport, readUserUsage, type ReportBounds } from './query/log-reports.js';
import { DEFAULT_REQUEST_PAGER_BOUNDS, readRequestPage, type RequestPagerBounds } from './query/request-pager.js';

/** A buffered JSON answer; the handler serialises it. */
export interface JsonResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface QueryServiceDeps {
  authenticator: { authenticate(presentedKey: string | null, needed: GatewayKeyRole): Promise<GatewayKeyRecord> };
  reads: RequestLogReads;
  bodies: BodyReader;
  retentionDays: number;
  now: () => number;
  logger: { error(message: string, extra: Record<string, unknown>): void; warn(message: string, extra: Record<string, unknown>): void };
  pagerBounds?: RequestPagerBounds;
  reportBounds?: ReportBounds;
}

/** How long a link to a large body stays valid. */
const SIGNED_BODY_URL_SECONDS = 15 * 60;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

/**
 * The query API: routes a request, checks the admin key, validates parameters, and answers JSON.
 * Every failure becomes `{"error":{"code","message"}}`; unexpected ones are logged and hidden.
 */
export class QueryService {
  private readonly pagerBounds: RequestPagerBounds;
  private readonly reportBounds: ReportBounds;

  constructor(private readonly deps: QueryServiceDeps) {
    this.pagerBounds = deps.pagerBounds ?? DEFAULT_REQUEST_PAGER_BOUNDS;
    this.reportBounds = deps.reportBounds ?? DEFAULT_REPORT_BOUNDS;
  }

  async handle(request: HttpRequest): Promise<JsonResponse> {
    try {
      const match = matchQueryRoute(request.method, request.path);
      if (match.kind === 'not_found') {
        const hint = proxyRouteHint(request.path);
        throw new LookoutError(404, 'not_found', `No endpoint ${request.path}; ${hint ?? 'see GET /v1/openapi.json for the API.'}`);
      }
      if (match.kind === 'method_not_allowed') {
        return errorResponse(
          new LookoutError(405, 'method_not_allowed', `${request.path} accepts ${match.allow.join(', ')}, not ${request.method}`),
          { allow: match.allow.join(', ') },
        );
      }
      // Auth comes before parameter checks, so a caller without a key learns nothing but 401.
      if (!isPublicRoute(match.route)) await this.deps.authenticator.authenticate(queryApiKey(request.headers), 'admin');
      return { status: 200, headers: { ...JSON_HEADERS }, body: await this.answer(match.route, request.rawQuery) };
    } catch (error) {
      if (error instanceof LookoutError) return errorResponse(error);
      this.deps.logger.error('query API request failed', { path: request.path, error: (error as Error)?.stack ?? String(error) });
      return errorResponse(new LookoutError(500, 'internal_error', 'The query failed unexpectedly; it has been logged.'));
    }
  }

  private async answer(route: QueryRoute, rawQuery: string): Promise<unknown> {
    const { reads, retentionDays } = this.deps;
    switch (route.name) {
      case 'health':
        return { status: 'ok' };
      case 'openapi':
        return queryApiOpenApiDocument();
      case 'listRequests':
        return await readRequestPage(reads, parseRequestListQuery(rawQuery), { nowMs: this.deps.now(), retentionDays, bounds: this.pagerBounds });
      case 'getRequest':
        parseNoQuery(rawQuery);
        return await this.requestDetail(route.requestId);
      case 'listUsers': {
        const query = parseUserRankingQuery(rawQuery);
        const window = resolveTimeWindow(query.explicitWindow, this.deps.now(), retentionDays);
        return await rankUsersByCost(reads, window, query.limit, this.reportBounds);
      }
      case 'userUsage': {
        const query = parseUserUsageQuery(rawQuery);
        const window = resolveTimeWindow(query.explicitWindow, this.deps.now(), retentionDays);
        return await readUserUsage(reads, route.userId, window, this.reportBounds);
      }
      case 'getSession': {
        parseNoQuery(rawQuery);
        const report = await readSessionReport(reads, route.sessionId, this.reportBounds);
        if (!report) throw new LookoutError(404, 'not_found', `No requests logged for session "${route.sessionId}"`);
        return report;
      }
    }
  }

  private async requestDetail(requestId: string): Promise<unknown> {
    const record = await this.deps.reads.findById(requestId);
    if (!record) throw new LookoutError(404, 'not_found', `No request logged with id "${requestId}"`);
    const [requestBody, responseBody] = await Promise.all([
      this.storedBody(requestId, record.requestBody),
      this.storedBody(requestId, record.responseBody),
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

  private async storedBody(requestId: string, stored: StoredBody | null): Promise<BodyJson | null> {
    if (stored === null) return null;
    // Inline bodies are a few KB of gzip: nothing realistic decompresses past the inline limit.
    if ('gzip' in stored) return bodyJsonFromGzip(stored.gzip, Number.MAX_SAFE_INTEGER);
    try {
      return bodyJsonFromGzip(await this.deps.bodies.get(stored.s3Key)) ?? {
        body: null,
        encoding: 'url',
        url: await this.deps.bodies.signedGetUrl(stored.s3Key, SIGNED_BODY_URL_SECONDS),
      };
    } catch (error) {
      // The bucket's lifecycle can remove a body a little before DynamoDB's TTL removes its item.
      if ((error as Error)?.name !== 'NoSuchKey') throw error;
      this.deps.logger.warn('request body object is gone', { requestId, s3Key: stored.s3Key });
      return null;
    }
  }
}

function errorResponse(error: LookoutError, extraHeaders: Record<string, string> = {}): JsonResponse {
  return { status: error.status, headers: { ...JSON_HEADERS, ...extraHeaders }, body: { error: { code: error.code, message: error.message } } };
}
