import type { HttpRequest } from '../../core/http/http-request.js';
import { DEFAULT_REPORT_BOUNDS, type ReportBounds } from './log-reports.js';
import type { QueryApp, QueryRouterDependencies } from './query-route-context.js';
import { createQueryRouter } from './query-router.js';
import { DEFAULT_REQUEST_PAGER_BOUNDS, type RequestPagerBounds } from './request-pager.js';

/**
 * A buffered answer. A JSON one (every API answer) has its parsed `body`, which the handler
 * serialises; undefined when there is none (a 204, a 304). Any other (the dashboard's page and
 * assets) has its `bytes`, as the router made them.
 */
export interface QueryResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  bytes?: Buffer;
}

export type QueryServiceDeps = Omit<QueryRouterDependencies, 'pagerBounds' | 'reportBounds'> & {
  pagerBounds?: RequestPagerBounds;
  reportBounds?: ReportBounds;
};

/** The origin requests are given for the router; only their path and query are routed on. */
const ROUTER_ORIGIN = 'https://query-api.lookout.invalid';

/**
 * The query API for a request that arrived in any shape (`HttpRequest`): builds the router once,
 * hands it the request, and gives back its answer.
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

  async handle(request: HttpRequest): Promise<QueryResponse> {
    const response = await this.router.fetch(
      new Request(`${ROUTER_ORIGIN}${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`, {
        method: request.method,
        headers: request.headers,
        body: request.method === 'GET' || request.method === 'HEAD' || request.body.length === 0 ? undefined : request.body,
      }),
    );
    const headers = Object.fromEntries(response.headers);
    const type = headers['content-type'];
    if (type && !type.startsWith('application/json')) {
      return { status: response.status, headers, body: undefined, bytes: Buffer.from(await response.arrayBuffer()) };
    }
    const text = await response.text();
    return { status: response.status, headers, body: text === '' ? undefined : JSON.parse(text) };
  }
}
