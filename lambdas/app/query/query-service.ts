import type { HttpRequest } from '../../core/http/http-request.js';
import { DEFAULT_REPORT_BOUNDS, type ReportBounds } from './log-reports.js';
import type { QueryApp, QueryRouterDependencies } from './query-route-context.js';
import { createQueryRouter } from './query-router.js';
import { DEFAULT_REQUEST_PAGER_BOUNDS, type RequestPagerBounds } from './request-pager.js';

/** A buffered JSON answer; the handler serialises it. `body` is undefined when there is none (HEAD). */
export interface JsonResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type QueryServiceDeps = Omit<QueryRouterDependencies, 'pagerBounds' | 'reportBounds'> & {
  pagerBounds?: RequestPagerBounds;
  reportBounds?: ReportBounds;
};

/** The origin requests are given for the router; only their path and query are routed on. */
const ROUTER_ORIGIN = 'https://query-api.lookout.invalid';

/**
 * The query API for a request that arrived in any shape (`HttpRequest`): builds the router once,
 * hands it the request, and gives back its JSON answer.
 */
export class QueryService {
  private readonly router: QueryApp;

  constructor(deps: QueryServiceDeps) {
    this.router = createQueryRouter({
      ...deps,
      pagerBounds: deps.pagerBounds ?? DEFAULT_REQUEST_PAGER_BOUNDS,
      reportBounds: deps.reportBounds ?? DEFAULT_REPORT_BOUNDS,
    });
  }

  async handle(request: HttpRequest): Promise<JsonResponse> {
    const response = await this.router.fetch(
      new Request(`${ROUTER_ORIGIN}${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`, {
        method: request.method,
        headers: request.headers,
        body: request.method === 'GET' || request.method === 'HEAD' || request.body.length === 0 ? undefined : request.body,
      }),
    );
    const text = await response.text();
    return { status: response.status, headers: Object.fromEntries(response.headers), body: text === '' ? undefined : JSON.parse(text) };
  }
}
